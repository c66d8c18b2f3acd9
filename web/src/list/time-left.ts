/** "58m left", "2h 5m left", "1m left", "stopping": how long until a session's auto-stop deadline. */
export function formatTimeLeft(expires: Date, now: Date): string {
  const seconds = Math.floor((expires.getTime() - now.getTime()) / 1000);
  if (seconds <= 0) return "stopping";
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes}m left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours}h left` : `${hours}h ${rest}m left`;
}

/** Under this, the time left is shown as a warning. */
export const SOON_MS = 10 * 60 * 1000;

/** One hour, what the "+1 h" buttons add. */
export const EXTEND_SECONDS = 3600;
