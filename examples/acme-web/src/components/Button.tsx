export function Button({ label, busy }: { label: string; busy?: boolean }) {
  if (busy) {
    return <button disabled>{label}…</button>;
  }
  return <button>{label}</button>;
}
