// Byte counts as the window shows them: "980 B", "2.3 MB", "14 GB" (binary units).

export function sizeLabel(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${Math.round(bytes)} B` : `${value.toFixed(value >= 10 ? 0 : 1)} ${units[unit]}`;
}
