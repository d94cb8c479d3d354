// Route handlers receive untyped JSON: `any` is allowed here.
export function parseBody(body: any): { name: string } {
  return { name: String(body.name) };
}
