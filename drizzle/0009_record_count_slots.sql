-- Each kept count is spread over several rows (issue 12): one statement, so the table is never without its key.
ALTER TABLE `record_counts` ADD `slot` tinyint unsigned DEFAULT 0 NOT NULL, DROP PRIMARY KEY, ADD PRIMARY KEY(`kind`,`slot`);
