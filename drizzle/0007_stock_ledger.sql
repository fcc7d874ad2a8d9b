CREATE TABLE `drug_lots` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`drug_id` bigint unsigned NOT NULL,
	`lot_number` varchar(64) NOT NULL,
	`expiry_date` date,
	`on_hand` int NOT NULL DEFAULT 0,
	`supplier` varchar(128),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`created_by` bigint unsigned,
	`updated_by` bigint unsigned,
	`version` int NOT NULL DEFAULT 1,
	CONSTRAINT `drug_lots_id` PRIMARY KEY(`id`),
	CONSTRAINT `drug_lots_drug_lot_uq` UNIQUE(`drug_id`,`lot_number`)
);
--> statement-breakpoint
CREATE TABLE `stock_movements` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`drug_id` bigint unsigned NOT NULL,
	`lot_id` bigint unsigned NOT NULL,
	`kind` varchar(16) NOT NULL,
	`quantity` int NOT NULL,
	`drug_balance` int NOT NULL,
	`lot_balance` int NOT NULL,
	`reason` varchar(32),
	`note` varchar(500),
	`supplier` varchar(128),
	`unit_cost` decimal(12,2),
	`prescription_id` bigint unsigned,
	`line_id` bigint unsigned,
	`patient_id` bigint unsigned,
	`at` datetime(3) NOT NULL,
	`actor_id` bigint unsigned,
	CONSTRAINT `stock_movements_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
ALTER TABLE `drug_lots` ADD CONSTRAINT `drug_lots_drug_id_drugs_id_fk` FOREIGN KEY (`drug_id`) REFERENCES `drugs`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `drug_lots` ADD CONSTRAINT `drug_lots_created_by_staff_id_fk` FOREIGN KEY (`created_by`) REFERENCES `staff`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `drug_lots` ADD CONSTRAINT `drug_lots_updated_by_staff_id_fk` FOREIGN KEY (`updated_by`) REFERENCES `staff`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `stock_movements` ADD CONSTRAINT `stock_movements_drug_id_drugs_id_fk` FOREIGN KEY (`drug_id`) REFERENCES `drugs`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `stock_movements` ADD CONSTRAINT `stock_movements_lot_id_drug_lots_id_fk` FOREIGN KEY (`lot_id`) REFERENCES `drug_lots`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `stock_movements` ADD CONSTRAINT `stock_movements_actor_id_staff_id_fk` FOREIGN KEY (`actor_id`) REFERENCES `staff`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `drug_lots_drug_expiry_idx` ON `drug_lots` (`drug_id`,`expiry_date`,`id`);--> statement-breakpoint
CREATE INDEX `drug_lots_expiry_idx` ON `drug_lots` (`expiry_date`,`id`);--> statement-breakpoint
CREATE INDEX `stock_movements_drug_idx` ON `stock_movements` (`drug_id`,`id`);--> statement-breakpoint
CREATE INDEX `stock_movements_lot_idx` ON `stock_movements` (`lot_id`,`kind`,`id`);--> statement-breakpoint
CREATE INDEX `stock_movements_prescription_idx` ON `stock_movements` (`prescription_id`);--> statement-breakpoint
-- Stock on hand before the ledger becomes each drug's opening lot (OPENING, with the drug's expiry date) and its
-- opening movement, so every lot's stock is the sum of its movements from the start (decision 014).
INSERT INTO `drug_lots` (`drug_id`, `lot_number`, `expiry_date`, `on_hand`, `created_at`, `updated_at`)
SELECT `id`, 'OPENING', `expiry_date`, `stock_on_hand`, CURRENT_TIMESTAMP(3), CURRENT_TIMESTAMP(3) FROM `drugs` WHERE `stock_on_hand` > 0 ORDER BY `id`;
--> statement-breakpoint
INSERT INTO `stock_movements` (`drug_id`, `lot_id`, `kind`, `quantity`, `drug_balance`, `lot_balance`, `note`, `at`)
SELECT `drug_id`, `id`, 'opening', `on_hand`, `on_hand`, `on_hand`, 'Stock on hand when the stock ledger began', CURRENT_TIMESTAMP(3) FROM `drug_lots` ORDER BY `id`;
