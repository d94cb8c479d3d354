export const db = {
  query: async (sql: string) => [{ sql }],
};
