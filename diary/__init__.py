"""The Crampwise domain: the diary, sharing with clinicians, and everything built on it."""
