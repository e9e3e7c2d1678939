/** The clickstream quickstarts (namespace clickstream): web server events, HTTP status codes, users. */
import { between, counting, oneOf, record } from './build.ts'

/** Ten addresses in each of four blocks; some repeat, which makes them more frequent. */
const IPS = ['111', '222', '122', '233'].flatMap((first, block) => [
  ['152.45.45', '203.236.146', '168.57.122', '249.79.93', '168.57.122', '90.225.227', '173.165.103', '145.8.144', '245.174.248', '245.174.111'],
  ['152.45.45', '203.236.146', '168.57.122', '249.79.93', '168.57.122', '90.225.227', '173.165.103', '145.8.144', '245.174.248', '245.174.222'],
  ['152.45.245', '203.236.246', '168.57.222', '249.79.233', '168.57.222', '90.225.227', '173.165.203', '145.8.244', '245.174.248', '245.174.122'],
  ['152.245.45', '203.236.146', '168.257.122', '249.279.93', '168.257.122', '90.225.227', '173.215.103', '145.28.144', '245.174.248', '245.174.233']
][block]!.map(rest => `${first}.${rest}`))

export const clickstream = record('clickstream', 'events', [
  oneOf('ip', 'string', IPS),
  between('userid', 'int', -1, 40),
  oneOf('remote_user', 'string', ['-']),
  counting('time', 'string', 1, 10),
  counting('_time', 'long', 1, 10),
  oneOf('request', 'string', [
    'GET /index.html HTTP/1.1', 'GET /site/user_status.html HTTP/1.1', 'GET /site/login.html HTTP/1.1',
    'GET /site/user_status.html HTTP/1.1', 'GET /images/track.png HTTP/1.1', 'GET /images/logo-small.png HTTP/1.1'
  ]),
  oneOf('status', 'string', ['200', '302', '404', '405', '406', '407']),
  oneOf('bytes', 'string', ['278', '1289', '2048', '4096', '4006', '4196', '14096']),
  oneOf('referrer', 'string', ['-']),
  oneOf('agent', 'string', [
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/59.0.3071.115 Safari/537.36'
  ])
])

export const clickstreamCodes = record('clickstream', 'codes', [{ name: 'code', type: 'int' }, { name: 'definition', type: 'string' }], {
  'arg.properties': {
    options: ([
      [200, 'Successful'], [302, 'Redirect'], [404, 'Page not found'], [405, 'Method not allowed'], [406, 'Not acceptable'],
      [407, 'Proxy authentication required']
    ] as const).map(([code, definition]) => ({ code, definition }))
  }
})

export const clickstreamUsers = record('clickstream', 'users', [
  counting('user_id', 'int', 1),
  oneOf('username', 'string', [
    'akatz1022', 'bobk_43', 'alison_99', 'k_robertz_88', 'Ferd88', 'Reeva43', 'Antonio_0966', 'ArlyneW8ter', 'DimitriSchenz88',
    'Oriana_70', 'AbdelKable_86', 'Roberto_123', 'AlanGreta_GG66', 'Nathan_126', 'AndySims_345324', 'GlenAlan_23344',
    'LukeWaters_23', 'BenSteins_235'
  ]),
  between('registered_at', 'long', 1407645330000, 1502339792000),
  oneOf('first_name', 'string', ['Elwyn', 'Curran', 'Hanson', 'Woodrow', 'Ferd', 'Reeva', 'Antonio', 'Arlyne', 'Dimitri', 'Oriana', 'Abdel', 'Greta']),
  oneOf('last_name', 'string', ['Vanyard', 'Vears', 'Garrity', 'Trice', 'Tomini', 'Jushcke', 'De Banke', 'Pask', 'Rockhill', 'Romagosa', 'Adicot', 'Lalonde']),
  oneOf('city', 'string', ['Palo Alto', 'San Francisco', 'Raleigh', 'London', 'Frankfurt', 'New York']),
  oneOf('level', 'string', ['Gold', 'Silver', 'Platinum'])
])
