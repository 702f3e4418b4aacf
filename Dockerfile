# Meshlens image: one image, roles chosen with MESHLENS_ROLES.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx next build
ENV MESHLENS_HOST=0.0.0.0 MESHLENS_DATA_DIR=/data
VOLUME /data
EXPOSE 3000 4317 4318 9411
CMD ["npx", "tsx", "--max-semi-space-size=64", "server/main.ts"]
