-- The service API: published versions of apps, the end users who call them, files they upload,
-- and what runs and messages record about who asked and what it cost.

-- An immutable snapshot of an app's draft, made when the app is published. The service API runs the
-- app's current published version; publishing again adds a version, restoring copies one back
-- into the draft.
CREATE TABLE app_version (
    id            UUID                     NOT NULL PRIMARY KEY,
    workspace_id  UUID                     NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
    app_id        UUID                     NOT NULL REFERENCES app (id) ON DELETE CASCADE,
    version       INT                      NOT NULL,
    name          VARCHAR(255)             NOT NULL,
    mode          VARCHAR(32)              NOT NULL,
    description   VARCHAR(4000)            NOT NULL DEFAULT '',
    dsl_version   VARCHAR(16)              NOT NULL,
    document      CLOB                     NOT NULL,
    marked_name   VARCHAR(255)             NOT NULL DEFAULT '',
    created_by    VARCHAR(255),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT app_version_number UNIQUE (app_id, version)
);
ALTER TABLE app ADD COLUMN published_version_id UUID;

-- An end user of an app's service API: the caller's own `user` string, per app.
CREATE TABLE end_user (
    id            UUID                     NOT NULL PRIMARY KEY,
    workspace_id  UUID                     NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
    app_id        UUID                     NOT NULL REFERENCES app (id) ON DELETE CASCADE,
    session_id    VARCHAR(255)             NOT NULL,
    type          VARCHAR(32)              NOT NULL DEFAULT 'service_api',
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT end_user_per_app UNIQUE (app_id, session_id)
);

-- A file uploaded through the service API (or the console), its bytes kept with it so that an
-- upload is stored whole or not at all.
CREATE TABLE upload_file (
    id               UUID                     NOT NULL PRIMARY KEY,
    workspace_id     UUID                     NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
    app_id           UUID,
    created_by_role  VARCHAR(16)              NOT NULL,
    created_by       VARCHAR(255)             NOT NULL,
    name             VARCHAR(255)             NOT NULL,
    size             BIGINT                   NOT NULL,
    extension        VARCHAR(32)              NOT NULL,
    mime_type        VARCHAR(255)             NOT NULL,
    content          BLOB                     NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX upload_file_by_workspace ON upload_file (workspace_id, created_at);

-- A like or dislike of an answer, by its end user or by a console member.
CREATE TABLE message_feedback (
    message_id    UUID                     NOT NULL PRIMARY KEY REFERENCES message (id) ON DELETE CASCADE,
    workspace_id  UUID                     NOT NULL,
    app_id        UUID                     NOT NULL,
    rating        VARCHAR(16)              NOT NULL,
    content       VARCHAR(4000),
    from_source   VARCHAR(16)              NOT NULL,
    created_by    VARCHAR(255),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX message_feedback_by_app ON message_feedback (workspace_id, app_id, created_at);

-- Messages remember their inputs and tokens; completion apps keep their messages too.
ALTER TABLE message ADD COLUMN inputs CLOB;
ALTER TABLE message ADD COLUMN total_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE message ADD COLUMN elapsed_ms BIGINT;
CREATE INDEX message_by_app ON message (workspace_id, app_id, created_at);

-- Runs remember where they were started from (the console's debugger, the service API) and by whom.
ALTER TABLE workflow_run ADD COLUMN triggered_from VARCHAR(32) NOT NULL DEFAULT 'debugging';
ALTER TABLE workflow_run ADD COLUMN created_by VARCHAR(255);
ALTER TABLE workflow_run ADD COLUMN version_id UUID;
CREATE INDEX conversation_by_user ON conversation (app_id, user_id, updated_at);
