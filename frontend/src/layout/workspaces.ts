import {
  IconAdjustmentsHorizontal,
  IconBriefcase,
  IconChartBar,
  IconFilterBolt,
  IconHeartbeat,
  IconListDetails,
  IconShieldCheck,
  type Icon,
} from '@tabler/icons-react';

/** A place in the navbar: where it goes and how the product names it. */
export interface Workspace {
  to: '/queues' | '/cases' | '/rules' | '/dashboards' | '/audit' | '/admin' | '/status';
  label: string;
  /** One line, for the page header: what people do here. */
  description: string;
  icon: Icon;
  /**
   * The permissions (any one of them, in any market) that let someone use this
   * workspace; the navbar hides it and its route shows "no access" otherwise.
   * Empty: everyone who is logged in.
   */
  requires: readonly string[];
}

export const workspaces = {
  queues: {
    to: '/queues',
    label: 'Queues',
    description: 'Prioritised review queues for your markets: claim the next case and work it within its SLA.',
    icon: IconListDetails,
    requires: ['queue.read', 'queue.manage'],
  },
  cases: {
    to: '/cases',
    label: 'Cases',
    description:
      'Every case about a seller, creator, listing, livestream or piece of content, with its signals, evidence and decisions.',
    icon: IconBriefcase,
    requires: ['case.read'],
  },
  rules: {
    to: '/rules',
    label: 'Rules',
    description: 'Risk rules that turn incoming signals into cases. Draft, shadow and backtest a rule before it goes live.',
    icon: IconFilterBolt,
    requires: ['rule.read'],
  },
  dashboards: {
    to: '/dashboards',
    label: 'Dashboards',
    description: 'Ecosystem health by market: case inflow, SLA attainment, decision outcomes and enforcement trends.',
    icon: IconChartBar,
    requires: ['dashboard.read'],
  },
  audit: {
    to: '/audit',
    label: 'Audit',
    description: 'The append-only, tamper-evident record of every decision and configuration change, for review and export.',
    icon: IconShieldCheck,
    requires: ['audit.read'],
  },
  admin: {
    to: '/admin',
    label: 'Admin',
    description: 'Users and their role grants per market, API tokens, webhooks, the SLA clock of each market, and where rules route new cases.',
    icon: IconAdjustmentsHorizontal,
    requires: ['user.manage', 'token.manage', 'webhook.manage', 'market.manage', 'queue.manage'],
  },
  status: {
    to: '/status',
    label: 'System status',
    description: 'Health of this Docket server, its database and migrations, and the markets it serves.',
    icon: IconHeartbeat,
    requires: [],
  },
} as const satisfies Record<string, Workspace>;

/** The daily workspaces, top of the navbar, in the order people use them. */
export const mainWorkspaces: Workspace[] = [
  workspaces.queues,
  workspaces.cases,
  workspaces.rules,
  workspaces.dashboards,
  workspaces.audit,
  workspaces.admin,
];
