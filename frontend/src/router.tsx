import {
  createRootRoute,
  createRoute,
  createRouter,
  lazyRouteComponent,
  redirect,
  type RouterHistory,
} from '@tanstack/react-router';
import { PageErrorPanel } from './components/PageErrorPanel';
import { PagePending } from './components/PagePending';
import { AppLayout } from './layout/AppLayout';
import { NotFoundPage } from './pages/NotFoundPage';

// Code-based routes. Pages load lazily so the first paint only needs the shell.

const rootRoute = createRootRoute({
  component: AppLayout,
  notFoundComponent: NotFoundPage,
});

const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: '/queues', replace: true });
  },
});

const queuesRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/queues',
  component: lazyRouteComponent(() => import('./pages/QueuesPage'), 'QueuesPage'),
});

const casesRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/cases',
  component: lazyRouteComponent(() => import('./pages/CasesPage'), 'CasesPage'),
});

const rulesRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/rules',
  component: lazyRouteComponent(() => import('./pages/RulesPage'), 'RulesPage'),
});

const dashboardsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/dashboards',
  component: lazyRouteComponent(() => import('./pages/DashboardsPage'), 'DashboardsPage'),
});

const auditRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/audit',
  component: lazyRouteComponent(() => import('./pages/AuditPage'), 'AuditPage'),
});

const adminRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/admin',
  component: lazyRouteComponent(() => import('./pages/AdminPage'), 'AdminPage'),
});

const statusRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/status',
  component: lazyRouteComponent(() => import('./status/StatusPage'), 'StatusPage'),
});

const routeTree = rootRoute.addChildren([
  indexRoute,
  queuesRoute,
  casesRoute,
  rulesRoute,
  dashboardsRoute,
  auditRoute,
  adminRoute,
  statusRoute,
]);

/** The app's router; tests pass a memory history to start at any path. */
export function createAppRouter(history?: RouterHistory) {
  return createRouter({
    routeTree,
    ...(history ? { history } : {}),
    defaultPreload: 'intent',
    defaultPendingComponent: PagePending,
    defaultErrorComponent: PageErrorPanel,
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
