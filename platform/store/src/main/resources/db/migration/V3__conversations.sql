-- Chatflow conversations: one per chat thread of an app, with the conversation variables its runs
-- left behind (written only by assigner nodes) and its messages (a user's query and the answer).
-- Like runs, a conversation may belong to an app that is not stored (a file run from the command
-- line); deleting a stored app deletes its conversations.
CREATE TABLE conversation (
    id            UUID                     NOT NULL PRIMARY KEY,
    workspace_id  UUID                     NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
    app_id        UUID                     NOT NULL,
    user_id       VARCHAR(255),
    name          VARCHAR(255)             NOT NULL DEFAULT '',
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX conversation_by_app ON conversation (workspace_id, app_id, updated_at);

-- A conversation variable's value as JSON, as the last finished run of the conversation left it.
CREATE TABLE conversation_variable (
    conversation_id  UUID                     NOT NULL REFERENCES conversation (id) ON DELETE CASCADE,
    name             VARCHAR(255)             NOT NULL,
    value_json       CLOB                     NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (conversation_id, name)
);

-- One turn of a conversation: inserted when its run starts, updated when it ends.
CREATE TABLE message (
    id               UUID                     NOT NULL PRIMARY KEY,
    conversation_id  UUID                     NOT NULL REFERENCES conversation (id) ON DELETE CASCADE,
    workspace_id     UUID                     NOT NULL,
    app_id           UUID                     NOT NULL,
    workflow_run_id  UUID,
    query            CLOB                     NOT NULL,
    answer           CLOB,
    status           VARCHAR(32)              NOT NULL,
    error            VARCHAR(4000),
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    finished_at      TIMESTAMP WITH TIME ZONE
);
CREATE INDEX message_by_conversation ON message (conversation_id, created_at);
CREATE INDEX message_by_status ON message (status);
