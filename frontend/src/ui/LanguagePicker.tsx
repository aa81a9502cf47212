// The language picker: before signing in it only changes this phone's language; in Profile it saves the
// choice to the account first, since reminders, emails and the printed summary are worded in it too.

import { api } from '../api/client';
import type { Profile } from '../api/types';
import { kvSet } from '../db/db';
import { LANGUAGE_NAMES, switchTo } from '../i18n';
import { LANGUAGES, language, type Language } from '../locale';
import { app, toast } from '../state';
import { strings } from '../strings';
import { Choice } from './form';

const L = strings.languageChoice;
const OPTIONS = LANGUAGES.map((value) => ({ value, label: LANGUAGE_NAMES[value] }));

export function LanguagePicker({ saveToAccount = false }: { saveToAccount?: boolean }) {
  const choose = async (chosen: Language) => {
    if (chosen === language()) return;
    if (!saveToAccount) return switchTo(chosen);
    if (!app.get().online) return toast(L.needsConnection);
    try {
      const profile = await api<Profile>('/api/v1/profile/', { method: 'PATCH', body: { language: chosen } });
      await kvSet('profile', profile).catch(() => undefined);
      app.set({ profile });
      switchTo(chosen);
    } catch {
      toast(L.notSaved);
    }
  };
  return (
    <Choice legend={L.legend} name="language" hint={saveToAccount ? L.hint : undefined} options={OPTIONS} value={language()} onValue={(l) => void choose(l)} compact testid="language" />
  );
}
