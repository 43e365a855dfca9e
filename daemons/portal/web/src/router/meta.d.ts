import 'vue-router';

declare module 'vue-router' {
  interface RouteMeta {
    /** Key of the module in MODULES; selects the navigation entry and title. */
    module?: string;
    /** Reachable without signing in. */
    public?: boolean;
  }
}
