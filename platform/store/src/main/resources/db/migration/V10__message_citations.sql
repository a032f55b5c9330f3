-- The knowledge an answer was given and cites (Dify's retriever_resources), as a JSON array.
ALTER TABLE message ADD COLUMN retriever_resources CLOB;
