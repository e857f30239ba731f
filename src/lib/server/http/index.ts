export {
  ApiError,
  conflict,
  errorResponse,
  forbidden,
  jsonError,
  notFound,
  unauthorized,
  type ErrorBody,
  type ValidationIssue,
} from './errors';
export {
  DEFAULT_MAX_BODY_BYTES,
  issuesOf,
  readBodyText,
  readJson,
  validate,
  type ReadJsonOptions,
} from './body';
export { api, json, jsonText } from './handler';
export { checkInput, readInput, valueIssueCode, type InputIssue } from './input';
