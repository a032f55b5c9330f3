-- Apps, as imported from (and exported to) Dify DSL files. The document is the normalised DSL, as JSON.
CREATE TABLE app (
    id            UUID                     NOT NULL PRIMARY KEY,
    workspace_id  UUID                     NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
    name          VARCHAR(255)             NOT NULL,
    mode          VARCHAR(32)              NOT NULL,
    description   VARCHAR(4000)            NOT NULL DEFAULT '',
    dsl_version   VARCHAR(16)              NOT NULL,
    document      CLOB                     NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX app_by_workspace ON app (workspace_id, created_at);

-- Workflow runs, written as they happen: a run is inserted when it starts and updated when it ends.
CREATE TABLE workflow_run (
    id                UUID                     NOT NULL PRIMARY KEY,
    workspace_id      UUID                     NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
    app_id            UUID                     NOT NULL,
    status            VARCHAR(32)              NOT NULL,
    inputs            CLOB                     NOT NULL,
    outputs           CLOB,
    error             VARCHAR(4000),
    elapsed_ms        BIGINT,
    total_steps       INT                      NOT NULL DEFAULT 0,
    total_tokens      BIGINT                   NOT NULL DEFAULT 0,
    exceptions_count  INT                      NOT NULL DEFAULT 0,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    finished_at       TIMESTAMP WITH TIME ZONE
);
CREATE INDEX workflow_run_by_app ON workflow_run (workspace_id, app_id, created_at);
CREATE INDEX workflow_run_by_status ON workflow_run (status);

-- Every node execution of a run, inserted when it starts and updated when it ends.
CREATE TABLE node_execution (
    id              UUID                     NOT NULL PRIMARY KEY,
    run_id          UUID                     NOT NULL REFERENCES workflow_run (id) ON DELETE CASCADE,
    workspace_id    UUID                     NOT NULL,
    node_id         VARCHAR(255)             NOT NULL,
    node_type       VARCHAR(255)             NOT NULL,
    title           VARCHAR(255)             NOT NULL,
    position        INT                      NOT NULL,
    predecessor_id  VARCHAR(255),
    iteration_id    VARCHAR(255),
    loop_id         VARCHAR(255),
    status          VARCHAR(32)              NOT NULL,
    inputs          CLOB,
    process_data    CLOB,
    outputs         CLOB,
    metadata        CLOB,
    error           VARCHAR(4000),
    error_type      VARCHAR(255),
    elapsed_ms      BIGINT,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    finished_at     TIMESTAMP WITH TIME ZONE
);
CREATE INDEX node_execution_by_run ON node_execution (run_id, position);
