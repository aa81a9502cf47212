// The clinician workspace (a lazy chunk, with uPlot): the triage list (/clinician), one patient
// (/clinician/patients/<id>), Profile (/profile: name, time zone, two-factor sign-in, sign out), the
// clinics (/clinician/clinics, /clinician/clinics/<id>) and an invitation (/clinic-invite, also signed out).

import { clinicianView } from '../../logic/clinician';
import { useRoute } from '../../router';
import { strings } from '../../strings';
import { Page } from '../../ui/widgets';
import { ClinicInvite, ClinicPage, ClinicsIndex } from './Clinic';
import { ClinicianProfile } from './ClinicianProfile';
import { PatientList } from './PatientList';
import { PatientPage } from './PatientPage';

export default function ClinicianWorkspace() {
  const { path } = useRoute();
  const view = clinicianView(path);
  if (view.view === 'list') return <PatientList />;
  if (view.view === 'patient') return <PatientPage id={view.id} key={view.id} />;
  if (view.view === 'profile') return <ClinicianProfile />;
  if (view.view === 'clinics') return <ClinicsIndex />;
  if (view.view === 'clinic') return <ClinicPage id={view.id} key={view.id} />;
  if (view.view === 'invite') return <ClinicInvite />;
  return (
    <Page title={strings.titles.notFound}>
      <p>{strings.notFound}</p>
    </Page>
  );
}
