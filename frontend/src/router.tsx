import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
  redirect,
  type ParsedLocation,
  type RouterHistory,
} from '@tanstack/react-router';
import { meQueryOptions } from './api/auth';
import { ApiError } from './api/errors';
import { parseAuditSearch } from './audit/filters';
import { caseFiltersToSearch, parseCaseSearch } from './cases/filters';
import { hasAnyPermission, homePath } from './auth/access';
import { LoginPage, parseLoginSearch } from './auth/LoginPage';
import { PageErrorPanel } from './components/PageErrorPanel';
import { PagePending } from './components/PagePending';
import { parseUsersSearch } from './admin/usersSearch';
import { parseDeliveriesSearch } from './admin/deliveriesSearch';
import { AppLayout } from './layout/AppLayout';
import { workspaces } from './layout/workspaces';
import { NotFoundPage } from './pages/NotFoundPage';
import { CONSOLE_PERMISSIONS, parseConsoleSearch } from './queues/console';
import { parsePlainSearch, stringifyPlainSearch } from './routing/search';
import { parseRuleSearch, parseRuleTabSearch, ruleFiltersToSearch } from './rules/filters';

// Code-based routes. Pages load lazily so the first paint only needs the shell.
//
//   /login                       outside the shell, no session needed
//   (shell)                      needs a session: loads /me or goes to /login?next=…
//     /, /queues, /cases, …      each declares the permissions it needs in
//     /queues/console            (the lead console: case.assign or case.deescalate)
//     /cases/$id, /subjects/$id
//     /rules, /rules/new, /rules/$id
//                                staticData.requires; the shell shows AccessDenied
//                                instead of a page the caller may not use

export interface RouterContext {
  queryClient: QueryClient;
}

/** The caller, from the query cache or `GET /me`; no session sends them to /login?next=<where they were going>. */
async function requireSession(queryClient: QueryClient, location: ParsedLocation) {
  try {
    return await queryClient.ensureQueryData(meQueryOptions());
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      throw redirect({ to: '/login', search: { next: location.href }, replace: true });
    }
    throw error;
  }
}

/** Unknown paths: the not-found page inside the shell (the root checked the session first). */
function ShellNotFound() {
  return (
    <AppLayout>
      <NotFoundPage />
    </AppLayout>
  );
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  // Runs for every path, matched or not, so unknown paths also need a session.
  beforeLoad: async ({ context, location }) => {
    if (location.pathname !== '/login') await requireSession(context.queryClient, location);
  },
  notFoundComponent: ShellNotFound,
});

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  validateSearch: parseLoginSearch,
  component: LoginPage,
});

const shellRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'shell',
  component: AppLayout,
  beforeLoad: async ({ context, location }) => ({ me: await requireSession(context.queryClient, location) }),
});

const indexRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/',
  beforeLoad: ({ context }) => {
    throw redirect({ to: homePath(context.me.permissions), replace: true });
  },
});

const queuesRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/queues',
  staticData: { requires: workspaces.queues.requires },
  component: lazyRouteComponent(() => import('./queues/QueuesLayout'), 'QueuesLayout'),
});

const queuesHomeRoute = createRoute({
  getParentRoute: () => queuesRoute,
  path: '/',
  component: lazyRouteComponent(() => import('./queues/ReviewerHome'), 'ReviewerHome'),
});

const leadConsoleRoute = createRoute({
  getParentRoute: () => queuesRoute,
  path: '/console',
  staticData: { requires: CONSOLE_PERMISSIONS },
  validateSearch: parseConsoleSearch,
  component: lazyRouteComponent(() => import('./queues/LeadConsole'), 'LeadConsole'),
});

const casesRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/cases',
  staticData: { requires: workspaces.cases.requires },
  // The filters stay plain strings in the URL (status=new,triaged); the page parses them.
  validateSearch: (search: Record<string, unknown>) => caseFiltersToSearch(parseCaseSearch(search)),
  component: lazyRouteComponent(() => import('./cases/CasesPage'), 'CasesPage'),
});

const caseRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/cases/$id',
  staticData: { requires: workspaces.cases.requires },
  component: lazyRouteComponent(() => import('./cases/CasePage'), 'CasePage'),
});

const subjectRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/subjects/$id',
  staticData: { requires: ['subject.read'] },
  component: lazyRouteComponent(() => import('./cases/SubjectPage'), 'SubjectPage'),
});

const rulesRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/rules',
  staticData: { requires: workspaces.rules.requires },
  // ?status=live&market=VN&q=refund, the API's own names.
  validateSearch: (search: Record<string, unknown>) => ruleFiltersToSearch(parseRuleSearch(search)),
  component: lazyRouteComponent(() => import('./rules/RulesPage'), 'RulesPage'),
});

const newRuleRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/rules/new',
  staticData: { requires: ['rule.write'] },
  component: lazyRouteComponent(() => import('./rules/NewRulePage'), 'NewRulePage'),
});

const ruleRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/rules/$id',
  staticData: { requires: workspaces.rules.requires },
  // ?tab=backtest|versions|hits (the Definition tab is the default).
  validateSearch: parseRuleTabSearch,
  component: lazyRouteComponent(() => import('./rules/RulePage'), 'RulePage'),
});

const dashboardsRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/dashboards',
  staticData: { requires: workspaces.dashboards.requires },
  component: lazyRouteComponent(() => import('./pages/DashboardsPage'), 'DashboardsPage'),
});

const auditRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/audit',
  staticData: { requires: workspaces.audit.requires },
  validateSearch: parseAuditSearch,
  component: lazyRouteComponent(() => import('./audit/AuditPage'), 'AuditPage'),
});

const adminRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/admin',
  staticData: { requires: workspaces.admin.requires },
  component: lazyRouteComponent(() => import('./admin/AdminLayout'), 'AdminLayout'),
});

const adminIndexRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/',
  beforeLoad: ({ context }) => {
    if (hasAnyPermission(context.me.permissions, ['user.manage'])) {
      throw redirect({ to: '/admin/users', replace: true });
    }
    if (hasAnyPermission(context.me.permissions, ['token.manage'])) {
      throw redirect({ to: '/admin/tokens', replace: true });
    }
    if (hasAnyPermission(context.me.permissions, ['webhook.manage'])) {
      throw redirect({ to: '/admin/webhooks', replace: true });
    }
    if (hasAnyPermission(context.me.permissions, ['market.manage'])) {
      throw redirect({ to: '/admin/markets', replace: true });
    }
    if (hasAnyPermission(context.me.permissions, ['queue.manage'])) {
      throw redirect({ to: '/admin/routing', replace: true });
    }
    // Neither: the shell's guard shows AccessDenied for /admin itself.
  },
});

const adminUsersRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/users',
  staticData: { requires: ['user.manage'] },
  validateSearch: parseUsersSearch,
  component: lazyRouteComponent(() => import('./admin/UsersPage'), 'UsersPage'),
});

const adminUserRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/users/$id',
  staticData: { requires: ['user.manage'] },
  component: lazyRouteComponent(() => import('./admin/UserDetailPage'), 'UserDetailPage'),
});

const adminTokensRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/tokens',
  staticData: { requires: ['token.manage'] },
  component: lazyRouteComponent(() => import('./admin/TokensPage'), 'TokensPage'),
});

const adminWebhooksRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/webhooks',
  staticData: { requires: ['webhook.manage'] },
  component: lazyRouteComponent(() => import('./admin/WebhooksPage'), 'WebhooksPage'),
});

const adminWebhookRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/webhooks/$id',
  staticData: { requires: ['webhook.manage'] },
  // ?status=pending|delivered|dead filters the deliveries.
  validateSearch: parseDeliveriesSearch,
  component: lazyRouteComponent(() => import('./admin/WebhookDetailPage'), 'WebhookDetailPage'),
});

const adminMarketsRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/markets',
  staticData: { requires: ['market.manage'] },
  component: lazyRouteComponent(() => import('./admin/MarketsPage'), 'MarketsPage'),
});

const adminRoutingRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/routing',
  staticData: { requires: ['queue.manage'] },
  component: lazyRouteComponent(() => import('./admin/RoutingPage'), 'RoutingPage'),
});

const statusRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/status',
  component: lazyRouteComponent(() => import('./status/StatusPage'), 'StatusPage'),
});

const routeTree = rootRoute.addChildren([
  loginRoute,
  shellRoute.addChildren([
    indexRoute,
    queuesRoute.addChildren([queuesHomeRoute, leadConsoleRoute]),
    casesRoute,
    caseRoute,
    subjectRoute,
    rulesRoute,
    newRuleRoute,
    ruleRoute,
    dashboardsRoute,
    auditRoute,
    adminRoute.addChildren([
      adminIndexRoute,
      adminUsersRoute,
      adminUserRoute,
      adminTokensRoute,
      adminWebhooksRoute,
      adminWebhookRoute,
      adminMarketsRoute,
      adminRoutingRoute,
    ]),
    statusRoute,
  ]),
]);

interface AppRouterOptions {
  queryClient: QueryClient;
  /** Tests pass a memory history to start at any path. */
  history?: RouterHistory;
}

export function createAppRouter({ queryClient, history }: AppRouterOptions) {
  return createRouter({
    routeTree,
    context: { queryClient },
    ...(history ? { history } : {}),
    parseSearch: parsePlainSearch,
    stringifySearch: stringifyPlainSearch,
    defaultPreload: 'intent',
    // The shell's guard reads /me from the query cache; the router need not cache it again.
    defaultPreloadStaleTime: 0,
    defaultPendingComponent: PagePending,
    defaultErrorComponent: PageErrorPanel,
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
  interface StaticDataRouteOption {
    /** Any one of these permissions (in any market) lets the caller see the page. */
    requires?: readonly string[];
  }
}
