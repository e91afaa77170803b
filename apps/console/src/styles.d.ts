// esbuild bundles the CSS the console imports; TypeScript only needs to know such imports exist.
declare module '*.css';
