declare module 'virtual:labs-site/config' {
  const config: import('./site-config.ts').SiteConfig;
  export default config;
}
