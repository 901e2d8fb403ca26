// Durations as the panel's status line shows them (elapsed time, time left).

/** "0:42", "12:05", "1:02:03": minutes and seconds, with hours only when there are any. */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const [hours, minutes, secs] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const twoDigits = (n: number) => String(n).padStart(2, '0');
  return hours > 0 ? `${hours}:${twoDigits(minutes)}:${twoDigits(secs)}` : `${minutes}:${twoDigits(secs)}`;
}
