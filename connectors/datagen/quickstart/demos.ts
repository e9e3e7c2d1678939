/** Small quickstarts of Confluent's demos: fleet sensors, gaming, payroll and pizza orders (with date and timestamp-millis fields). */
import { between, counting, field, matching, oneOf, record, type SchemaJson } from './build.ts'

const JAN_2021 = 1609459200000

export const fleetMgmtSensors = record('fleet_mgmt', 'fleet_mgmt_sensors', [
  between('vehicle_id', 'int', 1000, 9999),
  between('engine_temperature', 'int', 150, 250),
  between('average_rpm', 'int', 1800, 5000)
])

export const gamingGames = record('gaming', 'gaming_games', [
  between('id', 'int', 1000, 5000),
  oneOf('room_name', 'string', ['Arcade', 'Survival', 'Classic'].flatMap(mode => ['Rookie', 'Skilled', 'Expert'].map(level => `${mode} -- ${level}`))),
  field('created_date', 'long', { iteration: { start: JAN_2021, step: 100000 } }, {}, { logicalType: 'timestamp-millis' })
])

export const gamingPlayerActivity = record('gaming', 'gaming_player_activity', [
  between('player_id', 'int', 1001, 1101),
  between('game_room_id', 'int', 1000, 5000),
  between('points', 'int', 10, 500),
  matching('coordinates', '\\[[0-9][0-9],[0-9][0-9]\\]')
])

export const payrollBonus = record('payroll', 'payroll_bonus', [
  between('employee_id', 'int', 1000, 1100),
  between('bonus', 'int', 10, 50),
  field('ts', 'long', { range: { min: JAN_2021, max: 1640995199000 } }, {}, { logicalType: 'timestamp-millis' })
])

export const payrollEmployeeLocation = record('payroll', 'payroll_employee_location', [
  between('employee_id', 'int', 1000, 1100),
  matching('lab', 'lab-\\d{1}'),
  between('department_id', 'int', 1, 10),
  field('arrival_date', 'int', { range: { min: 18000, max: 19000 } }, {}, { logicalType: 'date' })
])

const pizzaOrder = (name: string, firstOrderId: number, status: string, extra: readonly SchemaJson[] = []): SchemaJson =>
  record('pizza_orders', name, [
    between('store_id', 'int', 1, 10),
    counting('store_order_id', 'int', firstOrderId, 2),
    field('date', 'int', { range: { min: 18000, max: 19000 } }, {}, { logicalType: 'date' }),
    oneOf('status', 'string', [status]),
    ...extra
  ])

export const pizzaOrdersCancelled = pizzaOrder('pizza_orders_cancelled', 1001, 'cancelled')
export const pizzaOrdersCompleted = pizzaOrder('pizza_orders_completed', 1000, 'completed', [
  between('rack_time_secs', 'int', 130, 230),
  between('order_delivery_time_secs', 'int', 1100, 2000)
])
