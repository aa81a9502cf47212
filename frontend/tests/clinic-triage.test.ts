// The clinic's triage list, as pure rules: who a patient is assigned to in words, the assignment's body,
// and the list's addresses with "Assigned to me" kept in the URL.

import { describe, expect, it } from 'vitest';
import { assignBody, assignedText } from '../src/logic/alerts';
import { listHref, patientsUrl } from '../src/logic/clinician';

describe('assignedText', () => {
  it('says nothing for a patient who shares with me alone', () => {
    expect(assignedText({ clinic: null, assigned_to: null }, 'me')).toBeNull();
  });
  it('says nobody yet, you, or the member by name for a clinic patient', () => {
    expect(assignedText({ clinic: 'c1', assigned_to: null }, 'me')).toBe('nobody yet');
    expect(assignedText({ clinic: 'c1', assigned_to: 'me', assigned_to_name: 'Nina' }, 'me')).toBe('you');
    expect(assignedText({ clinic: 'c1', assigned_to: 'bob', assigned_to_name: 'Bob' }, 'me')).toBe('Bob');
    expect(assignedText({ clinic: 'c1', assigned_to: 'bob', assigned_to_name: ' ' }, 'me')).toBe('a colleague');
  });
});

describe('assignBody', () => {
  it('sends the member, or null for nobody', () => {
    expect(assignBody('u1')).toEqual({ assigned_to: 'u1' });
    expect(assignBody('')).toEqual({ assigned_to: null });
  });
});

describe('the list addresses', () => {
  it('asks the API for my patients only when the filter is on', () => {
    expect(patientsUrl('', 1, true)).toBe('/api/v1/clinician/patients/?page_size=25&assigned=me');
    expect(patientsUrl('', 1)).toBe('/api/v1/clinician/patients/?page_size=25');
  });
  it('keeps the filter in the page URL, with the search and the page', () => {
    expect(listHref('', 1)).toBe('/clinician');
    expect(listHref(' ali ', 2, true)).toBe('/clinician?search=ali&assigned=me&page=2');
  });
});
