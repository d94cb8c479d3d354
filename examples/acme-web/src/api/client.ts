import axios from "axios";

export interface User {
  id: string;
  name: string;
}

export async function getUser(id: string): Promise<User> {
  const res = await fetch(`/api/users/${id}`);
  return (await res.json()) as User;
}

export async function getUserSafe(id: string): Promise<User> {
  const res = await fetch(`/api/users/${id}`, { signal: AbortSignal.timeout(10_000) });
  return (await res.json()) as User;
}

export async function listOrders(userId: string) {
  const { data } = await axios.get(`/api/orders?user=${userId}`);
  console.log("orders", data.length);
  return data;
}
