-- Annotations: an app's curated answers. With annotation reply on, a question close enough to an
-- annotated one is answered with the annotation, without calling the model.
CREATE TABLE annotation (
    id            UUID                     NOT NULL PRIMARY KEY,
    workspace_id  UUID                     NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
    app_id        UUID                     NOT NULL REFERENCES app (id) ON DELETE CASCADE,
    question      CLOB                     NOT NULL,
    answer        CLOB                     NOT NULL,
    hit_count     INT                      NOT NULL DEFAULT 0,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX annotation_by_app ON annotation (workspace_id, app_id, created_at);

-- Whether an app answers from its annotations, how close a question must be, and with which
-- embedding model questions are compared.
CREATE TABLE annotation_setting (
    app_id              UUID                     NOT NULL PRIMARY KEY REFERENCES app (id) ON DELETE CASCADE,
    workspace_id        UUID                     NOT NULL,
    enabled             BOOLEAN                  NOT NULL,
    score_threshold     DOUBLE PRECISION         NOT NULL,
    embedding_provider  VARCHAR(255),
    embedding_model     VARCHAR(255),
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
