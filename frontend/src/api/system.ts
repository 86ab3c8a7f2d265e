export { copyText, openExternal, backendAvailable } from './bridge';
