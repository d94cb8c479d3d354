export function formatPrice(cents: number, meta: any): string {
  return `${(cents / 100).toFixed(2)} ${meta.currency}`;
}
