// Small inline SVG icons (emoji are missing on some phones and in some fonts). Decorative: aria-hidden.

const PATHS: Record<string, string> = {
  cramp: 'M13 2 4 14h7l-1 8 9-12h-7z',
  stockings: 'M9 2h6v9l3.5 4.5a3.5 3.5 0 0 1-5.3 4.6L8.2 14.6A3 3 0 0 1 9 12.5z M9 6h6',
  elevate: 'M3 20h18 M5 20v-4l9-6 5-1 M14 10l-2-5 M12 5h5',
  water: 'M12 3s6 6.5 6 11a6 6 0 0 1-12 0c0-4.5 6-11 6-11z',
  checkin: 'M9 3h6v3H9z M7 4.5H5v16h14v-16h-2 M8 12l2.5 2.5L16 9',
  today: 'M12 4V2 M12 22v-2 M4 12H2 M22 12h-2 M5.6 5.6 4.2 4.2 M19.8 19.8l-1.4-1.4 M5.6 18.4l-1.4 1.4 M19.8 4.2l-1.4 1.4 M12 7a5 5 0 1 1 0 10 5 5 0 0 1 0-10z',
  history: 'M8 6h13 M8 12h13 M8 18h13 M3.5 6h.01 M3.5 12h.01 M3.5 18h.01',
  trends: 'M3 3v18h18 M7 15l4-5 3 3 5-7',
  reminders: 'M6 16V11a6 6 0 0 1 12 0v5l2 2H4z M10 21h4',
  more: 'M5 12h.01 M12 12h.01 M19 12h.01',
};

export function Icon({ name, size = 28 }: { name: keyof typeof PATHS | string; size?: number }) {
  return (
    <svg
      class="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="2.2"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name] ?? ''} />
    </svg>
  );
}
