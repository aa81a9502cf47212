// A GET that follows its URL: the latest answer, its error, and a reload. An answer to an older URL
// (the person typed on, or changed the period) never replaces a newer one.

import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client';

export interface ApiState<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

export function useApi<T>(url: string | null): ApiState<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(url !== null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (url === null) return;
    const controller = new AbortController();
    setLoading(true);
    api<T>(url, { signal: controller.signal })
      .then((d) => {
        setData(d);
        setError(null);
      })
      .catch((e) => {
        if ((e as Error)?.name === 'AbortError') return;
        setError(e);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [url, tick]);
  return { data, error, loading, reload: () => setTick((t) => t + 1) };
}
