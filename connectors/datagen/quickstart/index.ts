/**
 * The bundled schemas `quickstart` names, with the field each uses as the record key (kafka-connect-datagen's
 * Quickstart list) and the resource file name it has there, which `schema.filename` also accepts.
 */
import type { SchemaJson } from './build.ts'
import { clickstream, clickstreamCodes, clickstreamUsers } from './clickstream.ts'
import {
  fleetMgmtSensors, gamingGames, gamingPlayerActivity, payrollBonus, payrollEmployeeLocation, pizzaOrdersCancelled, pizzaOrdersCompleted
} from './demos.ts'
import { campaignFinance, creditCards, purchases, stores, transactions } from './examples.ts'
import { inventory, orders, pageviews, product, ratings, stockTrades, users, usersArrayMap } from './ksql.ts'

export interface Quickstart {
  readonly schema: SchemaJson
  readonly keyField: string
  readonly resource: string
}

const q = (schema: SchemaJson, keyField: string, resource: string): Quickstart => Object.freeze({ schema, keyField, resource })

/** By the lower-case name `quickstart` takes, in kafka-connect-datagen's order. */
export const QUICKSTARTS: ReadonlyMap<string, Quickstart> = new Map([
  ['clickstream_codes', q(clickstreamCodes, 'code', 'clickstream_codes_schema.avro')],
  ['clickstream', q(clickstream, 'ip', 'clickstream_schema.avro')],
  ['clickstream_users', q(clickstreamUsers, 'user_id', 'clickstream_users_schema.avro')],
  ['orders', q(orders, 'orderid', 'orders_schema.avro')],
  ['ratings', q(ratings, 'rating_id', 'ratings_schema.avro')],
  ['users', q(users, 'userid', 'users_schema.avro')],
  ['users_', q(usersArrayMap, 'userid', 'users_array_map_schema.avro')],
  ['pageviews', q(pageviews, 'viewtime', 'pageviews_schema.avro')],
  ['stock_trades', q(stockTrades, 'symbol', 'stock_trades_schema.avro')],
  ['inventory', q(inventory, 'id', 'inventory.avro')],
  ['product', q(product, 'id', 'product.avro')],
  ['purchases', q(purchases, 'id', 'purchase.avro')],
  ['transactions', q(transactions, 'transaction_id', 'transactions.avro')],
  ['stores', q(stores, 'store_id', 'stores.avro')],
  ['credit_cards', q(creditCards, 'card_id', 'credit_cards.avro')],
  ['campaign_finance', q(campaignFinance, 'candidate_id', 'campaign_finance.avro')],
  ['fleet_mgmt_sensors', q(fleetMgmtSensors, 'vehicle_id', 'fleet_mgmt_sensors.avro')],
  ['pizza_orders_completed', q(pizzaOrdersCompleted, 'store_id', 'pizza_orders_completed.avro')],
  ['pizza_orders_cancelled', q(pizzaOrdersCancelled, 'store_id', 'pizza_orders_cancelled.avro')],
  ['gaming_games', q(gamingGames, 'id', 'gaming_games.avro')],
  ['gaming_player_activity', q(gamingPlayerActivity, 'player_id', 'gaming_player_activity.avro')],
  ['payroll_employee_location', q(payrollEmployeeLocation, 'employee_id', 'payroll_employee_location.avro')],
  ['payroll_bonus', q(payrollBonus, 'employee_id', 'payroll_bonus.avro')]
])

export function quickstartByResource (resource: string): Quickstart | undefined {
  for (const quickstart of QUICKSTARTS.values()) if (quickstart.resource === resource) return quickstart
  return undefined
}
