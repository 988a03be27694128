import { Anchor, Button, NavLink, type AnchorProps, type ButtonProps, type NavLinkProps } from '@mantine/core';
import { createLink, type LinkComponent } from '@tanstack/react-router';
import type { AnchorHTMLAttributes, Ref } from 'react';

// Mantine components rendered as router links: client-side navigation,
// preloading on hover, real hrefs for middle-click and screen readers.

type AnchorAttrs = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'color' | 'style'>;

function NavLinkAnchor({ ref, ...props }: NavLinkProps & AnchorAttrs & { ref?: Ref<HTMLAnchorElement> }) {
  return <NavLink component="a" ref={ref} {...props} />;
}
const CreatedNavLink = createLink(NavLinkAnchor);
export const RouterNavLink: LinkComponent<typeof NavLinkAnchor> = (props) => (
  <CreatedNavLink preload="intent" {...props} />
);

function AnchorLink({ ref, ...props }: AnchorProps & AnchorAttrs & { ref?: Ref<HTMLAnchorElement> }) {
  return <Anchor component="a" ref={ref} {...props} />;
}
const CreatedAnchor = createLink(AnchorLink);
export const RouterAnchor: LinkComponent<typeof AnchorLink> = (props) => <CreatedAnchor preload="intent" {...props} />;

function ButtonLink({ ref, ...props }: ButtonProps & AnchorAttrs & { ref?: Ref<HTMLAnchorElement> }) {
  return <Button component="a" ref={ref} {...props} />;
}
const CreatedButton = createLink(ButtonLink);
export const RouterButton: LinkComponent<typeof ButtonLink> = (props) => <CreatedButton preload="intent" {...props} />;
