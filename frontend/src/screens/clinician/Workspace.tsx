// The clinician side of the app, to come: for now a clear placeholder after the role switch.

import { signOut } from '../../session';
import { strings } from '../../strings';
import { Button } from '../../ui/form';
import { Page } from '../../ui/widgets';

export function ClinicianWorkspace() {
  return (
    <Page title={strings.clinician.coming}>
      <p data-testid="clinician-coming">{strings.clinician.explain}</p>
      <Button onClick={() => void signOut()} testid="sign-out">
        {strings.auth.signOut}
      </Button>
    </Page>
  );
}
