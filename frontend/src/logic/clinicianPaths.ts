// The clinician workspace's app paths: /clinician (the list), /clinician/patients/<id>, /profile.
// Tiny on purpose: the app frame (first load) uses it to send a clinician to the workspace.

export type ClinicianView = { view: 'list' } | { view: 'patient'; id: string } | { view: 'profile' } | { view: 'other' };

export function clinicianView(path: string): ClinicianView {
  if (path === '/clinician') return { view: 'list' };
  if (path === '/profile') return { view: 'profile' };
  const m = /^\/clinician\/patients\/([0-9a-fA-F-]{8,64})$/.exec(path);
  if (m) return { view: 'patient', id: m[1] };
  return { view: 'other' };
}

export function patientPath(id: string): string {
  return `/clinician/patients/${id}`;
}

