-- Workspaces are the unit of tenancy: every other record belongs to one.
CREATE TABLE workspace (
    id          UUID                     NOT NULL PRIMARY KEY,
    name        VARCHAR(100)             NOT NULL,
    is_default  BOOLEAN                  NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

INSERT INTO workspace (id, name, is_default) VALUES (RANDOM_UUID(), 'Default workspace', TRUE);
