import { Alert } from '@mantine/core';
import { AnchorLink } from '../components/links';

export function NotAllowed() {
  return (
    <Alert color="gray" title="Not available for your role">
      This page is for other roles. Choose a page on the left.
    </Alert>
  );
}

export function NotFound() {
  return (
    <Alert color="gray" title="There is no page here">
      The address may be mistyped or out of date. <AnchorLink to="/">Go to your start page</AnchorLink>.
    </Alert>
  );
}
