// Vite's `?url` imports (the MapLibre worker is shipped as a separate file).
declare module '*?url' {
  const url: string;
  export default url;
}
