// The clinician workspace (a lazy chunk, with uPlot): the triage list (/clinician), one patient
// (/clinician/patients/<id>) and Profile (/profile: name, time zone, two-factor sign-in, sign out).

import { clinicianView } from '../../logic/clinician';
import { useRoute } from '../../router';
import { strings } from '../../strings';
import { Page } from '../../ui/widgets';
import { ClinicianProfile } from './ClinicianProfile';
import { PatientList } from './PatientList';
import { PatientPage } from './PatientPage';

export default function ClinicianWorkspace() {
  const { path } = useRoute();
  const view = clinicianView(path);
  if (view.view === 'list') return <PatientList />;
  if (view.view === 'patient') return <PatientPage id={view.id} key={view.id} />;
  if (view.view === 'profile') return <ClinicianProfile />;
  return (
    <Page title={strings.titles.notFound}>
      <p>{strings.notFound}</p>
    </Page>
  );
}
