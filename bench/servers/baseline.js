// The floor of "a POST that returns a token": bare Fastify that parses the same JSON body and answers
// with a pre-made body of the same size as the service's. No validation, no signing, no logging.
import Fastify from 'fastify'

const body = process.env.BENCH_RESPONSE_BODY ?? '{}'
const fastify = Fastify({ logger: false })

fastify.get('/health', async () => ({ status: 'ok' }))
fastify.post('/tokens', (request, reply) => {
  if (typeof request.body !== 'object') return reply.code(400).send()
  reply.code(201).header('content-type', 'application/json; charset=utf-8').send(body)
})

await fastify.listen({ host: '127.0.0.1', port: Number(process.env.PORT) })
