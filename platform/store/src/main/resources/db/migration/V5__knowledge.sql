-- Knowledge bases of a workspace: how their documents are indexed and searched.
CREATE TABLE knowledge_base (
    id                  UUID                     NOT NULL PRIMARY KEY,
    workspace_id        UUID                     NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
    name                VARCHAR(255)             NOT NULL,
    description         VARCHAR(4000)            NOT NULL,
    indexing_technique  VARCHAR(32)              NOT NULL,
    embedding_provider  VARCHAR(255),
    embedding_model     VARCHAR(255),
    dimensions          INT                      NOT NULL,
    language            VARCHAR(32)              NOT NULL,
    doc_form            VARCHAR(32)              NOT NULL,
    process_rule        CLOB                     NOT NULL,
    retrieval_model     CLOB                     NOT NULL,
    metadata_fields     CLOB                     NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT knowledge_base_name UNIQUE (workspace_id, name)
);

-- A document of a knowledge base, and where its ingestion stands. Documents whose status is one of
-- queued, extracting, chunking or embedding are the ingestion queue: it survives a restart.
CREATE TABLE kb_document (
    id                  UUID                     NOT NULL PRIMARY KEY,
    knowledge_base_id   UUID                     NOT NULL REFERENCES knowledge_base (id) ON DELETE CASCADE,
    workspace_id        UUID                     NOT NULL,
    position            INT                      NOT NULL,
    name                VARCHAR(1024)            NOT NULL,
    source              VARCHAR(16)              NOT NULL,
    file_key            VARCHAR(255)             NOT NULL,
    media_type          VARCHAR(255)             NOT NULL,
    size_bytes          BIGINT                   NOT NULL,
    status              VARCHAR(32)              NOT NULL,
    enabled             BOOLEAN                  NOT NULL,
    error               VARCHAR(4000),
    attempts            INT                      NOT NULL,
    chunks              INT                      NOT NULL,
    chunks_done         INT                      NOT NULL,
    tokens              BIGINT                   NOT NULL,
    characters          BIGINT                   NOT NULL,
    metadata_json       CLOB                     NOT NULL,
    batch               VARCHAR(64)              NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    started_at          TIMESTAMP WITH TIME ZONE,
    completed_at        TIMESTAMP WITH TIME ZONE
);
CREATE INDEX kb_document_by_base ON kb_document (knowledge_base_id, position);
CREATE INDEX kb_document_by_status ON kb_document (status, created_at);

-- The chunks (segments) of a document as indexed; child chunks name their parent. The vector is
-- kept so that editing one chunk does not mean embedding the whole document again.
CREATE TABLE kb_segment (
    id                  UUID                     NOT NULL PRIMARY KEY,
    document_id         UUID                     NOT NULL REFERENCES kb_document (id) ON DELETE CASCADE,
    knowledge_base_id   UUID                     NOT NULL,
    parent_id           UUID,
    position            INT                      NOT NULL,
    content             CLOB                     NOT NULL,
    tokens              INT                      NOT NULL,
    enabled             BOOLEAN                  NOT NULL,
    vector              BLOB,
    hit_count           INT                      NOT NULL DEFAULT 0,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX kb_segment_by_document ON kb_segment (document_id, parent_id, position);
