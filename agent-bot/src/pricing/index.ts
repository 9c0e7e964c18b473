export {
  loadPriceTable,
  mergePriceTables,
  priceTableSchema,
  DEFAULT_PRICE_TABLE_PATH,
} from './price-table.js';
export type { PriceTable, ModelPriceOverride } from './price-table.js';
export { priceModelUsage, toUsd } from './price-model-usage.js';
export type { PricedUsage } from './price-model-usage.js';
export { priceTranscription } from './price-transcription.js';
export type { PricedTranscription } from './price-transcription.js';
export { priceWhatsAppMessage, hasVolumeTiers } from './price-whatsapp-message.js';
export type {
  WhatsAppMessageToPrice,
  PricedWhatsAppMessage,
  WhatsAppCategory,
} from './price-whatsapp-message.js';
export { GENAI_PRICES_VERSION } from './genai-prices-version.js';
export { whatsAppFee, countryOfPhone, defaultPriceTable } from './whatsapp-fee.js';
export type { DeliveredMessage, WhatsAppFee } from './whatsapp-fee.js';
export { whatsAppFeeThisMonth, chargedWhatsAppMessagesThisMonth } from './whatsapp-monthly-volume.js';
export type { VolumeScope } from './whatsapp-monthly-volume.js';
