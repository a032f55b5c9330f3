-- The files a user sent with a message (as the service API resolved them), as a JSON array.
ALTER TABLE message ADD COLUMN files CLOB;
