/** Mantine's anchor, button and menu item as typed router links (TanStack Router's createLink keeps `to` and `params` checked). */
import { forwardRef, type AnchorHTMLAttributes } from 'react';
import { Anchor, Button, type AnchorProps, type ButtonProps } from '@mantine/core';
import { createLink } from '@tanstack/react-router';

type A = AnchorHTMLAttributes<HTMLAnchorElement>;

const MantineAnchor = forwardRef<HTMLAnchorElement, AnchorProps & A>((props, ref) => <Anchor ref={ref} {...props} />);
const MantineButtonAnchor = forwardRef<HTMLAnchorElement, ButtonProps & A>((props, ref) => <Button component="a" ref={ref} {...props} />);

export const AnchorLink = createLink(MantineAnchor);
export const ButtonLink = createLink(MantineButtonAnchor);
