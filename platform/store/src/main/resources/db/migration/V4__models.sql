-- A workspace's credentials for a model provider: plain settings as JSON, secrets encrypted by the
-- model runtime (the store never sees them in the clear).
CREATE TABLE provider_credential (
    id            UUID                     NOT NULL PRIMARY KEY,
    workspace_id  UUID                     NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
    provider      VARCHAR(255)             NOT NULL,
    settings      CLOB                     NOT NULL,
    secrets       CLOB                     NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT provider_credential_once UNIQUE (workspace_id, provider)
);

-- A workspace's default model of each type (llm, text-embedding, rerank).
CREATE TABLE default_model (
    workspace_id  UUID                     NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
    model_type    VARCHAR(32)              NOT NULL,
    provider      VARCHAR(255)             NOT NULL,
    model         VARCHAR(255)             NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (workspace_id, model_type)
);

-- Prices per million tokens, editable; a model without one costs nothing in the accounts.
CREATE TABLE model_price (
    provider            VARCHAR(255)   NOT NULL,
    model               VARCHAR(255)   NOT NULL,
    input_per_million   DECIMAL(20, 8) NOT NULL,
    output_per_million  DECIMAL(20, 8) NOT NULL,
    currency            VARCHAR(8)     NOT NULL,
    PRIMARY KEY (provider, model)
);

-- Every model call: who made it, what it used, what it cost.
CREATE TABLE model_usage (
    id                 UUID                     NOT NULL PRIMARY KEY,
    workspace_id       UUID                     NOT NULL,
    run_id             VARCHAR(64),
    node_id            VARCHAR(255),
    provider           VARCHAR(255)             NOT NULL,
    model              VARCHAR(255)             NOT NULL,
    model_type         VARCHAR(32)              NOT NULL,
    prompt_tokens      BIGINT                   NOT NULL,
    completion_tokens  BIGINT                   NOT NULL,
    price              DECIMAL(20, 10)          NOT NULL,
    currency           VARCHAR(8)               NOT NULL,
    latency_ms         BIGINT                   NOT NULL,
    status             VARCHAR(32)              NOT NULL,
    error              VARCHAR(4000),
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX model_usage_by_workspace ON model_usage (workspace_id, created_at);
