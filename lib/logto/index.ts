import 'server-only';

export {
  createManagementClient,
  getClientStats,
  getManagementClient,
  keepOrganizationDataFrom,
  type ManagementClient,
  type ManagementClientOptions,
  readOrganizationData,
} from './client';
export {
  attributeBudgetTo,
  type BudgetContext,
  currentBudgetContext,
  runWithBudgetContext,
} from './budget-context';
export { type LogtoCallTiming, serverTimingHeader, timeLogtoCalls } from './call-timing';
export { LogtoApiError, LogtoAuthError, LogtoBusyError, LogtoError, LogtoNetworkError } from './errors';
export { type ClientStats, parseRetryAfter } from './http';
export {
  DEFAULT_PAGE_SIZE,
  fetchAllPages,
  iteratePages,
  MAX_PAGE_SIZE,
  type Page,
  type PageFetcher,
  type PageQuery,
} from './pagination';
export {
  createOrganization,
  deleteOrganization,
  getOrganization,
  listOrganizations,
  updateOrganization,
} from './organizations';
export {
  addMemberRoles,
  addOrganizationMembers,
  assignRolesToMembers,
  getMemberRoles,
  getMemberScopes,
  listOrganizationMembers,
  removeMemberRole,
  removeOrganizationMember,
  replaceMemberRoles,
} from './members';
export { invalidateOrganizationRolesCache, listOrganizationRoles, listOrganizationScopes } from './roles';
export {
  createInvitation,
  deleteInvitation,
  getInvitation,
  listInvitations,
  resendInvitationMessage,
  updateInvitationStatus,
} from './invitations';
export {
  addJitEmailDomain,
  addOrganizationApplications,
  getApplication,
  getApplicationRoles,
  listJitEmailDomains,
  listJitRoles,
  listJitSsoConnectors,
  listMachineApplications,
  listOrganizationApplications,
  removeJitEmailDomain,
  removeOrganizationApplication,
  replaceApplicationRoles,
  replaceJitEmailDomains,
  replaceJitRoles,
} from './organization-extras';
export {
  createUser,
  findTenantRoleByName,
  findUsersByIds,
  getUser,
  getUserOrganizations,
  getUserTenantRoles,
  searchUsers,
} from './users';
export type * from './types';
