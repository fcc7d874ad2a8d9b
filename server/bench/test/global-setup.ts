export { default } from '@hmis/server/test/global-setup';
