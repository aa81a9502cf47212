// "Turn on notifications on this device", shared by the patient's Reminders and the clinician's Profile:
// whether this browser is subscribed, and turning it on with a sentence for each outcome.

import { useEffect, useState } from 'preact/hooks';
import { strings } from '../strings';
import { currentSubscription, enablePush, enablePushErrorMessage, permission, pushSupport, type EnableResult } from './subscribe';

/** The sentence for each outcome of enablePush but "push-off", which every screen words the same. */
export type EnableTexts = Record<Exclude<EnableResult, 'push-off'>, string>;

export function usePushOnThisDevice(texts: EnableTexts) {
  const support = pushSupport();
  const [subscribed, setSubscribed] = useState<boolean | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void currentSubscription().then((s) => setSubscribed(s !== null && permission() === 'granted'));
  }, []);
  const enable = async () => {
    setBusy(true);
    setMessage(null);
    try {
      const result = await enablePush();
      setMessage(result === 'push-off' ? strings.errors.pushOff : texts[result]);
      setSubscribed(result === 'enabled');
    } catch (err) {
      setMessage(enablePushErrorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return { support, subscribed, setSubscribed, message, setMessage, busy, enable };
}
