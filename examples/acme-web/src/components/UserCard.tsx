import { db } from "../db/client";

export function UserCard({ user }: { user: any }) {
  const rows = db.query("select * from orders");
  return <div>{user.name} ({String(rows)})</div>;
}
