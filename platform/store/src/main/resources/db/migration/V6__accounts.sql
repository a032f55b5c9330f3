-- People who sign in to the console. The email is kept trimmed and lower-cased, so its unique
-- constraint is a case-insensitive one. The password is an Argon2id hash in PHC string form
-- ($argon2id$v=19$m=...,t=...,p=...$salt$hash), never the password. The first account created is
-- the installation's owner (first-run setup); the setup closes once any account exists.
CREATE TABLE account (
    id             UUID                     NOT NULL PRIMARY KEY,
    email          VARCHAR(320)             NOT NULL,
    name           VARCHAR(255)             NOT NULL,
    password_hash  VARCHAR(255)             NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    last_login_at  TIMESTAMP WITH TIME ZONE,
    CONSTRAINT account_email UNIQUE (email)
);

-- Who belongs to which workspace, and with which role (owner, admin, editor, normal). A workspace
-- always keeps at least one owner: the application refuses to demote or remove the last one.
CREATE TABLE workspace_member (
    workspace_id  UUID                     NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
    account_id    UUID                     NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    role          VARCHAR(16)              NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (workspace_id, account_id),
    CONSTRAINT workspace_member_role CHECK (role IN ('owner', 'admin', 'editor', 'normal'))
);
CREATE INDEX workspace_member_by_account ON workspace_member (account_id, created_at);

-- Invitations to join a workspace by email. The token is shown once to the inviter and kept here
-- only as its SHA-256 (hex); an invitation is open until accepted_at is set or expires_at passes,
-- and it can be accepted once. invited_by is the inviting account (null: the operator); it is not
-- a foreign key, so that the record stays when that account goes.
CREATE TABLE invitation (
    id            UUID                     NOT NULL PRIMARY KEY,
    workspace_id  UUID                     NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
    email         VARCHAR(320)             NOT NULL,
    role          VARCHAR(16)              NOT NULL,
    token_hash    CHAR(64)                 NOT NULL,
    invited_by    UUID,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    accepted_at   TIMESTAMP WITH TIME ZONE,
    CONSTRAINT invitation_token UNIQUE (token_hash),
    CONSTRAINT invitation_role CHECK (role IN ('admin', 'editor', 'normal'))
);
CREATE INDEX invitation_by_workspace ON invitation (workspace_id, email);

-- Console sessions (the cookie's token is kept only as its SHA-256, hex). A session opens nothing
-- once revoked_at is set (sign-out) or expires_at has passed. workspace_id is the workspace the
-- session works in; it is not a foreign key: when the workspace or the membership goes, the session
-- falls back to another of the account's workspaces. The CSRF token is not a credential on its own
-- (it is only checked alongside the session cookie), so it is kept as is.
CREATE TABLE account_session (
    id            UUID                     NOT NULL PRIMARY KEY,
    token_hash    CHAR(64)                 NOT NULL,
    account_id    UUID                     NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    workspace_id  UUID,
    csrf_token    VARCHAR(64)              NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at  TIMESTAMP WITH TIME ZONE,
    revoked_at    TIMESTAMP WITH TIME ZONE,
    CONSTRAINT account_session_token UNIQUE (token_hash)
);
CREATE INDEX account_session_by_account ON account_session (account_id);
CREATE INDEX account_session_by_expiry ON account_session (expires_at);

-- API keys of the service API: 'app' keys serve one app (deleted with it), 'dataset' keys serve
-- the workspace's knowledge API. The key is kept only as its SHA-256 (hex); hint is its prefix and
-- last four characters, for people to tell keys apart. A revoked key keeps its row (revoked_at set)
-- and opens nothing.
CREATE TABLE api_key (
    id            UUID                     NOT NULL PRIMARY KEY,
    workspace_id  UUID                     NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
    kind          VARCHAR(16)              NOT NULL,
    app_id        UUID                     REFERENCES app (id) ON DELETE CASCADE,
    key_hash      CHAR(64)                 NOT NULL,
    hint          VARCHAR(32)              NOT NULL,
    created_by    UUID,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    last_used_at  TIMESTAMP WITH TIME ZONE,
    revoked_at    TIMESTAMP WITH TIME ZONE,
    CONSTRAINT api_key_hash UNIQUE (key_hash),
    CONSTRAINT api_key_kind CHECK ((kind = 'app' AND app_id IS NOT NULL) OR (kind = 'dataset' AND app_id IS NULL))
);
CREATE INDEX api_key_by_workspace ON api_key (workspace_id, kind, created_at);
CREATE INDEX api_key_by_app ON api_key (app_id);
