/**
 * The emulator's tables, modelled on Logto's `packages/schemas/tables/*.sql`: same table and
 * column names, the same `on delete cascade` foreign keys, the same unique constraints (which is
 * what makes the Management API's 422s come out of the database, as they do in Logto), plus the
 * indexes that keep a 10,000-member organization fast to page and search.
 *
 * Everything lives in one tenant, `default`, as in Logto OSS.
 */
export const SCHEMA_SQL = /* sql */ `
create function epoch_ms(value timestamptz) returns double precision
  language sql immutable parallel safe
  as $$ select floor(extract(epoch from value) * 1000) $$;

create type role_type as enum ('User', 'MachineToMachine');
create type application_type as enum ('Native', 'SPA', 'Traditional', 'MachineToMachine', 'Protected', 'SAML');
create type organization_invitation_status as enum ('Pending', 'Accepted', 'Expired', 'Revoked');

create table emulator_meta (
  key text primary key,
  value jsonb not null
);

create table users (
  tenant_id varchar(21) not null default 'default',
  id varchar(12) not null primary key,
  username varchar(128),
  primary_email varchar(128),
  primary_phone varchar(128),
  password_encrypted varchar(256),
  name varchar(128),
  avatar varchar(2048),
  profile jsonb not null default '{}'::jsonb,
  application_id varchar(21),
  identities jsonb not null default '{}'::jsonb,
  custom_data jsonb not null default '{}'::jsonb,
  is_suspended boolean not null default false,
  last_sign_in_at timestamptz(3),
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  constraint users__username unique (tenant_id, username),
  constraint users__primary_email unique (tenant_id, primary_email),
  constraint users__primary_phone unique (tenant_id, primary_phone)
);
create unique index users__id on users (tenant_id, id);
create index users__lower_primary_email on users (lower(primary_email));
create index users__created_at on users (created_at desc, id);

create table organizations (
  tenant_id varchar(21) not null default 'default',
  id varchar(21) not null primary key,
  name varchar(128) not null,
  description varchar(256),
  custom_data jsonb not null default '{}'::jsonb,
  is_mfa_required boolean not null default false,
  color jsonb not null default '{}'::jsonb,
  branding jsonb not null default '{}'::jsonb,
  custom_css text,
  created_at timestamptz(3) not null default now()
);
create index organizations__created_at on organizations (created_at, id);

create table organization_roles (
  tenant_id varchar(21) not null default 'default',
  id varchar(21) not null primary key,
  name varchar(128) not null,
  description varchar(256),
  type role_type not null default 'User',
  constraint organization_roles__name unique (tenant_id, name)
);

create function check_organization_role_type(role_id varchar(21), target_type role_type) returns boolean as
$$ begin
  return (select type from organization_roles where id = role_id) = target_type;
end; $$ language plpgsql;

create table organization_scopes (
  tenant_id varchar(21) not null default 'default',
  id varchar(21) not null primary key,
  name varchar(128) not null,
  description varchar(256),
  constraint organization_scopes__name unique (tenant_id, name)
);

create table organization_role_scope_relations (
  tenant_id varchar(21) not null default 'default',
  organization_role_id varchar(21) not null references organization_roles (id) on update cascade on delete cascade,
  organization_scope_id varchar(21) not null references organization_scopes (id) on update cascade on delete cascade,
  primary key (tenant_id, organization_role_id, organization_scope_id)
);

create table organization_user_relations (
  tenant_id varchar(21) not null default 'default',
  organization_id varchar(21) not null references organizations (id) on update cascade on delete cascade,
  user_id varchar(12) not null references users (id) on update cascade on delete cascade,
  primary key (tenant_id, organization_id, user_id)
);
create index organization_user_relations__user_id on organization_user_relations (user_id);
create index organization_user_relations__organization_id_user_id on organization_user_relations (organization_id, user_id);

create table organization_role_user_relations (
  tenant_id varchar(21) not null default 'default',
  organization_id varchar(21) not null,
  organization_role_id varchar(21) not null references organization_roles (id) on update cascade on delete cascade,
  user_id varchar(12) not null,
  primary key (tenant_id, organization_id, organization_role_id, user_id),
  foreign key (tenant_id, organization_id, user_id)
    references organization_user_relations (tenant_id, organization_id, user_id)
    on update cascade on delete cascade,
  constraint organization_role_user_relations__role_type
    check (check_organization_role_type(organization_role_id, 'User'))
);
create index organization_role_user_relations__org_user
  on organization_role_user_relations (tenant_id, organization_id, user_id);

create table organization_invitations (
  tenant_id varchar(21) not null default 'default',
  id varchar(21) not null primary key,
  inviter_id varchar(21) references users (id) on update cascade on delete cascade,
  invitee varchar(256) not null,
  accepted_user_id varchar(21) references users (id) on update cascade on delete cascade,
  organization_id varchar(21) not null references organizations (id) on update cascade on delete cascade,
  status organization_invitation_status not null,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  expires_at timestamptz(3) not null
);
create unique index organization_invitations__invitee_organization_id
  on organization_invitations (tenant_id, invitee, organization_id)
  where status = 'Pending';
create index organization_invitations__organization_id
  on organization_invitations (organization_id, created_at desc);

create table organization_invitation_role_relations (
  tenant_id varchar(21) not null default 'default',
  organization_invitation_id varchar(21) not null references organization_invitations (id) on update cascade on delete cascade,
  organization_role_id varchar(21) not null references organization_roles (id) on update cascade on delete cascade,
  primary key (tenant_id, organization_invitation_id, organization_role_id)
);

create table roles (
  tenant_id varchar(21) not null default 'default',
  id varchar(21) not null primary key,
  name varchar(128) not null,
  description varchar(128) not null,
  type role_type not null default 'User',
  is_default boolean not null default false,
  constraint roles__name unique (tenant_id, name)
);

create table users_roles (
  tenant_id varchar(21) not null default 'default',
  id varchar(21) not null primary key,
  user_id varchar(21) not null references users (id) on update cascade on delete cascade,
  role_id varchar(21) not null references roles (id) on update cascade on delete cascade,
  constraint users_roles__user_id_role_id unique (tenant_id, user_id, role_id)
);

create table applications (
  tenant_id varchar(21) not null default 'default',
  id varchar(21) not null primary key,
  name varchar(256) not null,
  secret varchar(64) not null,
  description text,
  type application_type not null,
  oidc_client_metadata jsonb not null,
  custom_client_metadata jsonb not null default '{}'::jsonb,
  protected_app_metadata jsonb,
  custom_data jsonb not null default '{}'::jsonb,
  is_third_party boolean not null default false,
  app_level_access_control_enabled boolean not null default false,
  created_at timestamptz(3) not null default now()
);

create function check_application_type(application_id varchar(21), target_type application_type) returns boolean as
$$ begin
  return (select type from applications where id = application_id) = target_type;
end; $$ language plpgsql;

/* Machine-to-machine apps that belong to an organization, and their organization roles. */
create table organization_application_relations (
  tenant_id varchar(21) not null default 'default',
  organization_id varchar(21) not null references organizations (id) on update cascade on delete cascade,
  application_id varchar(21) not null references applications (id) on update cascade on delete cascade,
  primary key (tenant_id, organization_id, application_id),
  constraint application_type check (check_application_type(application_id, 'MachineToMachine'))
);
create index organization_application_relations__application_id on organization_application_relations (application_id);

create table organization_role_application_relations (
  tenant_id varchar(21) not null default 'default',
  organization_id varchar(21) not null,
  organization_role_id varchar(21) not null references organization_roles (id) on update cascade on delete cascade,
  application_id varchar(21) not null,
  primary key (tenant_id, organization_id, organization_role_id, application_id),
  foreign key (tenant_id, organization_id, application_id)
    references organization_application_relations (tenant_id, organization_id, application_id)
    on update cascade on delete cascade,
  constraint organization_role_application_relations__role_type
    check (check_organization_role_type(organization_role_id, 'MachineToMachine'))
);

/* Just-in-time provisioning: email domains, default roles and enterprise SSO connectors. */
create table organization_jit_email_domains (
  tenant_id varchar(21) not null default 'default',
  organization_id varchar(21) not null references organizations (id) on update cascade on delete cascade,
  email_domain varchar(128) not null,
  primary key (tenant_id, organization_id, email_domain)
);

create table organization_jit_roles (
  tenant_id varchar(21) not null default 'default',
  organization_id varchar(21) not null references organizations (id) on update cascade on delete cascade,
  organization_role_id varchar(21) not null references organization_roles (id) on update cascade on delete cascade,
  primary key (tenant_id, organization_id, organization_role_id)
);

create table sso_connectors (
  tenant_id varchar(21) not null default 'default',
  id varchar(128) not null primary key,
  provider_name varchar(128) not null,
  connector_name varchar(128) not null,
  config jsonb not null default '{}'::jsonb,
  domains jsonb not null default '[]'::jsonb,
  branding jsonb not null default '{}'::jsonb,
  sync_profile boolean not null default false,
  enable_token_storage boolean not null default false,
  created_at timestamptz(3) not null default now(),
  constraint sso_connectors__connector_name__unique unique (tenant_id, connector_name)
);

create table organization_jit_sso_connectors (
  tenant_id varchar(21) not null default 'default',
  organization_id varchar(21) not null references organizations (id) on update cascade on delete cascade,
  sso_connector_id varchar(128) not null references sso_connectors (id) on update cascade on delete cascade,
  primary key (tenant_id, organization_id, sso_connector_id)
);

create table resources (
  tenant_id varchar(21) not null default 'default',
  id varchar(21) not null primary key,
  name text not null,
  indicator text not null,
  is_default boolean not null default false,
  access_token_ttl bigint not null default 3600,
  constraint resources__indicator unique (tenant_id, indicator)
);

create table scopes (
  tenant_id varchar(21) not null default 'default',
  id varchar(21) not null primary key,
  resource_id varchar(21) not null references resources (id) on update cascade on delete cascade,
  name varchar(256) not null,
  description text,
  created_at timestamptz(3) not null default now(),
  constraint scopes__resource_id_name unique (tenant_id, resource_id, name)
);

create table roles_scopes (
  tenant_id varchar(21) not null default 'default',
  id varchar(21) not null primary key,
  role_id varchar(21) not null references roles (id) on update cascade on delete cascade,
  scope_id varchar(21) not null references scopes (id) on update cascade on delete cascade,
  constraint roles_permissions__role_id_scope_id unique (tenant_id, role_id, scope_id)
);

create table applications_roles (
  tenant_id varchar(21) not null default 'default',
  id varchar(21) not null primary key,
  application_id varchar(21) not null references applications (id) on update cascade on delete cascade,
  role_id varchar(21) not null references roles (id) on update cascade on delete cascade,
  constraint applications_roles__application_id_role_id unique (tenant_id, application_id, role_id)
);

create table organization_role_resource_scope_relations (
  tenant_id varchar(21) not null default 'default',
  organization_role_id varchar(21) not null references organization_roles (id) on update cascade on delete cascade,
  scope_id varchar(21) not null references scopes (id) on update cascade on delete cascade,
  primary key (tenant_id, organization_role_id, scope_id)
);

create table connectors (
  tenant_id varchar(21) not null default 'default',
  id varchar(128) not null primary key,
  sync_profile boolean not null default false,
  connector_id varchar(128) not null,
  config jsonb not null default '{}'::jsonb,
  metadata jsonb not null default '{}'::jsonb,
  created_at timestamptz(3) not null default now()
);

/* Stands in for the email connector: every message the tenant "sends" lands here. */
create table outbox_messages (
  id varchar(21) not null primary key,
  recipient varchar(256) not null,
  subject text not null,
  text text not null,
  html text not null,
  link text,
  payload jsonb not null default '{}'::jsonb,
  created_at timestamptz(3) not null default clock_timestamp()
);
create index outbox_messages__recipient on outbox_messages (lower(recipient), created_at desc);

/* Per-recipient send log behind Logto's message rate guard (10 per 600 s). */
create table message_send_log (
  id bigint generated always as identity primary key,
  recipient varchar(256) not null,
  sent_at timestamptz(3) not null default clock_timestamp()
);
create index message_send_log__recipient_sent_at on message_send_log (recipient, sent_at);
`;

/** Bump when SCHEMA_SQL changes incompatibly, so on-disk databases are rebuilt. */
export const SCHEMA_VERSION = 2;
