import { defineConfig } from "vitest/config";

// `npm test` runs the snapshot tests and writes coverage/lcov.info, which harness's
// component-branch-coverage rule reads.
export default defineConfig({
  esbuild: { jsx: "automatic" },
  test: {
    globals: true,
    include: ["src/**/*.test.tsx"],
    coverage: { provider: "v8", reporter: ["lcovonly"], include: ["src/components/**"] },
  },
});
