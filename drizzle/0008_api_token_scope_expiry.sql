ALTER TABLE `api_tokens` ADD `scope` varchar(8) DEFAULT 'read' NOT NULL;--> statement-breakpoint
ALTER TABLE `api_tokens` ADD `last_used_at` datetime(3);--> statement-breakpoint
-- Tokens made before scopes could do everything their owner could: they keep that, and get the maximum lifetime
-- (365 days from creation) if they had none (decision 016).
UPDATE `api_tokens` SET `scope` = 'write';
--> statement-breakpoint
UPDATE `api_tokens` SET `expires_at` = DATE_ADD(`created_at`, INTERVAL 365 DAY) WHERE `expires_at` IS NULL;
