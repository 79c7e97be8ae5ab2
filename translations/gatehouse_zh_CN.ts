<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Gatehouse</source>
        <translation>关于 Gatehouse</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Gatehouse %1&lt;/h3&gt;&lt;p&gt;A self-hosted gateway for the OpenAI, Anthropic and Gemini APIs.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Data folder:&lt;/b&gt; %2&lt;br&gt;&lt;b&gt;Settings:&lt;/b&gt; %3&lt;/p&gt;&lt;p&gt;&lt;b&gt;Built with&lt;/b&gt; Qt %4 (LGPL-3.0), QtKeychain (BSD-3-Clause), %5 (Apache-2.0), hiredis (BSD-3-Clause), llhttp (MIT), SQLite (public domain).&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Gatehouse %1&lt;/h3&gt;&lt;p&gt;自托管的 OpenAI、Anthropic 和 Gemini API 网关。&lt;/p&gt;&lt;p&gt;&lt;b&gt;数据文件夹：&lt;/b&gt;%2&lt;br&gt;&lt;b&gt;设置文件：&lt;/b&gt;%3&lt;/p&gt;&lt;p&gt;&lt;b&gt;构建于&lt;/b&gt; Qt %4 (LGPL-3.0)、QtKeychain (BSD-3-Clause)、%5 (Apache-2.0)、hiredis (BSD-3-Clause)、llhttp (MIT)、SQLite（公有领域）。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>AdminClient</name>
    <message>
        <source>Your session has ended.</source>
        <translation>您的会话已结束。</translation>
    </message>
    <message>
        <source>This computer does not trust the gateway&apos;s certificate.</source>
        <translation>本机不信任该网关的证书。</translation>
    </message>
    <message>
        <source>You switched to another gateway.</source>
        <translation>你已切换到另一个网关。</translation>
    </message>
</context>
<context>
    <name>Appearance</name>
    <message>
        <source>The system&apos;s language</source>
        <translation>跟随系统语言</translation>
    </message>
    <message>
        <source>The system&apos;s colours</source>
        <translation>跟随系统配色</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <source>Older entries</source>
        <translation>更早的记录</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>操作者</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Object</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>From</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Every action</source>
        <translation>全部操作</translation>
    </message>
    <message>
        <source>Sign-ins</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Provider keys</source>
        <translation>服务商密钥</translation>
    </message>
    <message>
        <source>Gateway keys</source>
        <translation>网关密钥</translation>
    </message>
    <message>
        <source>Provider types</source>
        <translation>服务商类型</translation>
    </message>
    <message>
        <source>Refusals</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Prices</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>Audit log entries</source>
        <translation>审计日志条目</translation>
    </message>
    <message>
        <source>Kind of action</source>
        <translation>操作类型</translation>
    </message>
    <message>
        <source>Anyone</source>
        <translation>任何人</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>时间段</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>任意时间</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>最近 1 小时</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>最近 24 小时</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <source>The entry in full</source>
        <translation>完整条目</translation>
    </message>
    <message>
        <source>Select an entry to see it in full.</source>
        <translation>选择一个条目以查看完整内容。</translation>
    </message>
</context>
<context>
    <name>ConnectAccountDialog</name>
    <message>
        <source>Sign in…</source>
        <translation>登录…</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Connect account</source>
        <translation>连接账户</translation>
    </message>
    <message>
        <source>e.g. work subscription</source>
        <translation>例如：工作订阅</translation>
    </message>
    <message>
        <source>http://localhost:1455/auth/callback?code=…&amp;state=…</source>
        <translation>http://localhost:1455/auth/callback?code=…&amp;state=…</translation>
    </message>
    <message>
        <source>Account type:</source>
        <translation>账户类型：</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Address the browser ended on:</source>
        <translation>浏览器最后停留的地址：</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>No OAuth configuration is enabled. An administrator adds or enables one through the admin API (/api/oauth/configs, see docs/oauth.md).</source>
        <translation>没有已启用的 OAuth 配置。管理员可通过管理 API 添加或启用（/api/oauth/configs，见 docs/oauth.md）。</translation>
    </message>
    <message>
        <source>Sign in in the browser window. Gatehouse takes the answer when the browser comes back to this computer.</source>
        <translation>请在浏览器窗口中登录。浏览器回到本机时，Gatehouse 会自动取得结果。</translation>
    </message>
    <message>
        <source>Sign in in the browser window, then paste here the address the browser ended on (it may show an error page: the address is what counts).</source>
        <translation>请在浏览器窗口中登录，然后把浏览器最后停留的地址粘贴到这里（页面可能显示错误，只要地址即可）。</translation>
    </message>
    <message>
        <source>No browser could be opened: open this address in one: %1</source>
        <translation>无法打开浏览器，请在浏览器中打开此地址：%1</translation>
    </message>
    <message>
        <source>%1 Sign in again to retry.</source>
        <translation>%1 请重新登录再试。</translation>
    </message>
</context>
<context>
    <name>ConnectDialog</name>
    <message>
        <source>Connect to a gateway</source>
        <translation>连接到网关</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>The address of the gateway&apos;s admin API (gatehoused&apos;s admin listener).</source>
        <translation>网关管理 API 的地址（gatehoused 的管理端口）。</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Give the address as http://host:port or https://host:port.</source>
        <translation>请按 http://主机:端口 或 https://主机:端口 的格式填写地址。</translation>
    </message>
    <message>
        <source>Connect without encryption anyway</source>
        <translation>仍然不加密连接</translation>
    </message>
    <message>
        <source>This address is not encrypted (http): your password and your session would cross the network in clear. Use https, or connect anyway if the network is yours.</source>
        <translation>此地址未加密（http）：你的密码和会话将以明文在网络上传输。请使用 https；如果网络完全由你掌控，也可以仍然连接。</translation>
    </message>
    <message>
        <source>This computer does not trust the gateway&apos;s certificate. If it is your server&apos;s own certificate, compare its SHA-256 fingerprint with the one the server shows (openssl x509 -noout -fingerprint -sha256 -in its certificate):
%1</source>
        <translation>本机不信任该网关的证书。如果这是你自己服务器的证书，请将其 SHA-256 指纹与服务器上显示的指纹核对（openssl x509 -noout -fingerprint -sha256 -in 证书文件）：
%1</translation>
    </message>
    <message>
        <source>Trust this certificate for this gateway</source>
        <translation>对此网关信任该证书</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>Last 24 hours</source>
        <translation>最近 24 小时</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>请求数</translation>
    </message>
    <message>
        <source>Success rate</source>
        <translation>成功率</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>令牌数</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>费用</translation>
    </message>
    <message>
        <source>Latency p50 / p95</source>
        <translation>延迟 p50 / p95</translation>
    </message>
    <message>
        <source>Last minute</source>
        <translation>最近一分钟</translation>
    </message>
    <message>
        <source>Requests over time</source>
        <translation>请求趋势</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Latest errors</source>
        <translation>最近的错误</translation>
    </message>
    <message>
        <source>%1 req/s</source>
        <translation>%1 次/秒</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
</context>
<context>
    <name>DesktopApp</name>
    <message>
        <source> · master key: %1</source>
        <translation> · 主密钥：%1</translation>
    </message>
    <message>
        <source>No keychain answered: the master key is kept in %1. Keep that file private, and back it up apart from the data.</source>
        <translation>系统钥匙串没有响应：主密钥保存在 %1。请确保该文件不被他人读取，并与数据分开备份。</translation>
    </message>
    <message>
        <source>Gatehouse: running at %1</source>
        <translation>Gatehouse：运行于 %1</translation>
    </message>
    <message>
        <source>The gateway did not start: %1</source>
        <translation>网关未能启动：%1</translation>
    </message>
    <message>
        <source>Open Gatehouse</source>
        <translation>打开 Gatehouse</translation>
    </message>
    <message>
        <source>Copy base URL</source>
        <translation>复制基础 URL</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Gatehouse: stopped</source>
        <translation>Gatehouse：已停止</translation>
    </message>
    <message>
        <source>Gatehouse: not running: %1</source>
        <translation>Gatehouse：未运行：%1</translation>
    </message>
    <message>
        <source>Start gateway</source>
        <translation>启动网关</translation>
    </message>
    <message>
        <source>Stop gateway</source>
        <translation>停止网关</translation>
    </message>
    <message>
        <source>Gatehouse: starting</source>
        <translation>Gatehouse：正在启动</translation>
    </message>
    <message>
        <source> (remote)</source>
        <translation>（远程）</translation>
    </message>
</context>
<context>
    <name>GatewayKeyDialog</name>
    <message>
        <source>Create gateway key</source>
        <translation>创建网关密钥</translation>
    </message>
    <message>
        <source>Round robin</source>
        <translation>轮询</translation>
    </message>
    <message>
        <source>Weighted</source>
        <translation>加权</translation>
    </message>
    <message>
        <source>Healthiest first</source>
        <translation>健康优先</translation>
    </message>
    <message>
        <source>Smart (latency and errors)</source>
        <translation>智能（按延迟和错误）</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source> per minute</source>
        <translation> 次/分钟</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Provider:</source>
        <translation>服务商：</translation>
    </message>
    <message>
        <source>Provider keys:</source>
        <translation>服务商密钥：</translation>
    </message>
    <message>
        <source>Strategy:</source>
        <translation>策略：</translation>
    </message>
    <message>
        <source>Requests:</source>
        <translation>请求数：</translation>
    </message>
    <message>
        <source>Add a key of this provider first.</source>
        <translation>请先添加该服务商的密钥。</translation>
    </message>
</context>
<context>
    <name>GatewayKeysPage</name>
    <message>
        <source>Regenerate…</source>
        <translation>重新生成…</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>密钥</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>服务商</translation>
    </message>
    <message>
        <source>Provider keys</source>
        <translation>服务商密钥</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>已启用</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>最近使用</translation>
    </message>
    <message>
        <source>Create key…</source>
        <translation>创建密钥…</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Regenerate gateway key</source>
        <translation>重新生成网关密钥</translation>
    </message>
    <message>
        <source>Make a new secret for %1? The current one stops working at once.</source>
        <translation>为 %1 生成新的密钥？当前密钥将立即失效。</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Delete gateway key</source>
        <translation>删除网关密钥</translation>
    </message>
    <message>
        <source>Delete %1? Applications using it are refused at once.</source>
        <translation>删除 %1？使用它的应用将立即被拒绝。</translation>
    </message>
    <message>
        <source>Gateway keys</source>
        <translation>网关密钥</translation>
    </message>
</context>
<context>
    <name>HealthPage</name>
    <message>
        <source>Reset health</source>
        <translation>重置健康状态</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>密钥</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>服务商</translation>
    </message>
    <message>
        <source>In the pool</source>
        <translation>在池中</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>In flight</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>错误率</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Failures in a row</source>
        <translation>连续失败</translation>
    </message>
    <message>
        <source>Last test</source>
        <translation>最近测试</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Clears the key&apos;s cooldown, ejection and invalid mark: the proxy uses it again at once.</source>
        <translation>清除该密钥的冷却、剔除和失效标记：代理会立即重新使用它。</translation>
    </message>
    <message>
        <source>Updated every few seconds. A key cools down after a 429, is ejected after repeated failures and comes back by itself; an invalid key waits for you.</source>
        <translation>每隔几秒更新一次。密钥在收到 429 后冷却，多次失败后被剔除，之后会自动恢复；失效的密钥需要你来处理。</translation>
    </message>
    <message>
        <source>%1 is back in the pool.</source>
        <translation>%1 已回到池中。</translation>
    </message>
    <message>
        <source>Health of the provider keys</source>
        <translation>服务商密钥的健康状态</translation>
    </message>
</context>
<context>
    <name>KeyHealthText</name>
    <message>
        <source>Cooling down until %1</source>
        <translation>冷却中，直到 %1</translation>
    </message>
    <message>
        <source>Ejected until %1</source>
        <translation>已剔除，直到 %1</translation>
    </message>
    <message>
        <source>Invalid: %1</source>
        <translation>失效：%1</translation>
    </message>
    <message>
        <source>Healthy</source>
        <translation>健康</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>OK at %1 (%2 ms)</source>
        <translation>%1 正常（%2 毫秒）</translation>
    </message>
    <message>
        <source>Failed at %1: %2</source>
        <translation>%1 失败：%2</translation>
    </message>
    <message>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
</context>
<context>
    <name>LoopbackRedirect</name>
    <message>
        <source>The request is too large.</source>
        <translation>请求过大。</translation>
    </message>
    <message>
        <source>Nothing here.</source>
        <translation>此处没有内容。</translation>
    </message>
    <message>
        <source>Gatehouse has the answer. You can close this window.</source>
        <translation>Gatehouse 已取得结果，可以关闭此窗口了。</translation>
    </message>
    <message>
        <source>This is not the answer Gatehouse waits for.</source>
        <translation>这不是 Gatehouse 在等待的结果。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Gatehouse</source>
        <translation>Gatehouse</translation>
    </message>
    <message>
        <source>Stop gateway</source>
        <translation>停止网关</translation>
    </message>
    <message>
        <source>Start gateway</source>
        <translation>启动网关</translation>
    </message>
    <message>
        <source>Starting the gateway…</source>
        <translation>正在启动网关…</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>仪表盘</translation>
    </message>
    <message>
        <source>Provider keys</source>
        <translation>服务商密钥</translation>
    </message>
    <message>
        <source>Gateway keys</source>
        <translation>网关密钥</translation>
    </message>
    <message>
        <source>Request log</source>
        <translation>请求日志</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>页面</translation>
    </message>
    <message>
        <source>Copy base URL</source>
        <translation>复制基础 URL</translation>
    </message>
    <message>
        <source>Gateway</source>
        <translation>网关</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Local gateway stopped</source>
        <translation>本地网关已停止</translation>
    </message>
    <message>
        <source>Local gateway running at %1</source>
        <translation>本地网关运行于 %1</translation>
    </message>
    <message>
        <source>Gateway to manage</source>
        <translation>要管理的网关</translation>
    </message>
    <message>
        <source>Connect…</source>
        <translation>连接…</translation>
    </message>
    <message>
        <source>Managing the gateway %1</source>
        <translation>正在管理网关 %1</translation>
    </message>
    <message>
        <source>Managing the gateway on this computer</source>
        <translation>正在管理本机的网关</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Providers</source>
        <translation>服务商</translation>
    </message>
    <message>
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <source>Pricing</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>Key health</source>
        <translation>密钥健康</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>The gateway does not answer (%1). Trying again in %2 s; the page shows what it had.</source>
        <translation>网关没有响应（%1）。%2 秒后重试；页面显示的是之前获取的内容。</translation>
    </message>
</context>
<context>
    <name>NewKeyDialog</name>
    <message>
        <source>Your new gateway key</source>
        <translation>您的新网关密钥</translation>
    </message>
    <message>
        <source>Copy the key now: Gatehouse keeps only its hash and cannot show it again.</source>
        <translation>请现在复制密钥：Gatehouse 只保存其哈希值，无法再次显示。</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <source>Copy code</source>
        <translation>复制代码</translation>
    </message>
    <message>
        <source>Call the gateway with it:</source>
        <translation>用它调用网关：</translation>
    </message>
</context>
<context>
    <name>PricingPage</name>
    <message>
        <source>Add price…</source>
        <translation>添加价格…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>服务商</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>%1 (example price)</source>
        <translation>%1（示例价格）</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Cache read</source>
        <translation>缓存读取</translation>
    </message>
    <message>
        <source>Cache write</source>
        <translation>缓存写入</translation>
    </message>
    <message>
        <source>Search models</source>
        <translation>搜索模型</translation>
    </message>
    <message>
        <source>Dollars per million tokens. A pattern ending in * prices every model that starts so; the longest match wins.</source>
        <translation>单位：美元 / 百万 token。以 * 结尾的模式为所有以此开头的模型定价；最长的匹配优先。</translation>
    </message>
    <message>
        <source>Add price</source>
        <translation>添加价格</translation>
    </message>
    <message>
        <source>Edit price</source>
        <translation>编辑价格</translation>
    </message>
    <message>
        <source>Provider:</source>
        <translation>服务商：</translation>
    </message>
    <message>
        <source>gpt-4o-mini, or claude-3-5-* for a family</source>
        <translation>gpt-4o-mini，或用 claude-3-5-* 表示一个系列</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>Input:</source>
        <translation>输入：</translation>
    </message>
    <message>
        <source>Output:</source>
        <translation>输出：</translation>
    </message>
    <message>
        <source>Cache read:</source>
        <translation>缓存读取：</translation>
    </message>
    <message>
        <source>Cache write:</source>
        <translation>缓存写入：</translation>
    </message>
    <message>
        <source> per million tokens</source>
        <translation> / 百万 token</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Saved the price of %1.</source>
        <translation>已保存 %1 的价格。</translation>
    </message>
    <message>
        <source>Delete price</source>
        <translation>删除价格</translation>
    </message>
    <message>
        <source>Delete the price of %1? Requests it priced are recorded without a cost from now on, unless another price matches them.</source>
        <translation>删除 %1 的价格？此后由它定价的请求将不再记录费用，除非有其他价格与之匹配。</translation>
    </message>
    <message>
        <source>Prices</source>
        <translation>价格</translation>
    </message>
</context>
<context>
    <name>ProviderKeyDialog</name>
    <message>
        <source>Add provider key</source>
        <translation>添加服务商密钥</translation>
    </message>
    <message>
        <source>sk-…</source>
        <translation>sk-…</translation>
    </message>
    <message>
        <source>Show the secret</source>
        <translation>显示密钥</translation>
    </message>
    <message>
        <source>Share of requests under the weighted strategy</source>
        <translation>加权策略下分得的请求比例</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Provider:</source>
        <translation>服务商：</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Secret:</source>
        <translation>密钥：</translation>
    </message>
    <message>
        <source>Weight:</source>
        <translation>权重：</translation>
    </message>
    <message>
        <source>Edit provider key</source>
        <translation>编辑服务商密钥</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>unchanged (%1)</source>
        <translation>不变（%1）</translation>
    </message>
</context>
<context>
    <name>ProviderKeysPage</name>
    <message>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Reset health</source>
        <translation>重置健康状态</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>服务商</translation>
    </message>
    <message>
        <source>Secret</source>
        <translation>密钥</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>健康状态</translation>
    </message>
    <message>
        <source>Last test</source>
        <translation>最近测试</translation>
    </message>
    <message>
        <source>Add key…</source>
        <translation>添加密钥…</translation>
    </message>
    <message>
        <source>Makes one cheap call with the key (its provider&apos;s model list) and shows the result</source>
        <translation>用该密钥发起一次低成本调用（服务商的模型列表）并显示结果</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Added %1.</source>
        <translation>已添加 %1。</translation>
    </message>
    <message>
        <source>Testing %1…</source>
        <translation>正在测试 %1…</translation>
    </message>
    <message>
        <source>%1 works (%2 ms).</source>
        <translation>%1 可用（%2 毫秒）。</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 失败：%2</translation>
    </message>
    <message>
        <source>the provider answered HTTP %1</source>
        <translation>服务商返回 HTTP %1</translation>
    </message>
    <message>
        <source>The test got no answer in time.</source>
        <translation>测试未在规定时间内得到响应。</translation>
    </message>
    <message>
        <source>Delete provider key</source>
        <translation>删除服务商密钥</translation>
    </message>
    <message>
        <source>Delete %1? Gateway keys stop using it at once.</source>
        <translation>删除 %1？网关密钥将立即停止使用它。</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Saved %1.</source>
        <translation>已保存 %1。</translation>
    </message>
    <message>
        <source>Provider keys</source>
        <translation>服务商密钥</translation>
    </message>
    <message>
        <source>Connect account…</source>
        <translation>连接账户…</translation>
    </message>
    <message>
        <source>OAuth account</source>
        <translation>OAuth 账户</translation>
    </message>
    <message>
        <source>Signs in to a provider account in the browser (OAuth) and adds it as a key</source>
        <translation>在浏览器中登录服务商账户（OAuth），并将其添加为密钥</translation>
    </message>
    <message>
        <source>Connected %1.</source>
        <translation>已连接 %1。</translation>
    </message>
</context>
<context>
    <name>ProviderTypeDialog</name>
    <message>
        <source>Serve requests of this type</source>
        <translation>处理此类型的请求</translation>
    </message>
    <message>
        <source>Edit provider type %1</source>
        <translation>编辑服务商类型 %1</translation>
    </message>
    <message>
        <source>Display name:</source>
        <translation>显示名称：</translation>
    </message>
    <message>
        <source>Base URL:</source>
        <translation>基础 URL：</translation>
    </message>
    <message>
        <source>Key header:</source>
        <translation>密钥请求头：</translation>
    </message>
    <message>
        <source>Key format:</source>
        <translation>密钥格式：</translation>
    </message>
    <message>
        <source>Test path:</source>
        <translation>测试路径：</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Key as query parameter:</source>
        <translation>以查询参数传递密钥：</translation>
    </message>
    <message>
        <source>none: the key goes in the header</source>
        <translation>留空：密钥放在请求头中</translation>
    </message>
    <message>
        <source>Test method:</source>
        <translation>测试方法：</translation>
    </message>
    <message>
        <source>Headers sent with every request:</source>
        <translation>每个请求附带的请求头：</translation>
    </message>
    <message>
        <source>&apos;defaultHeaders&apos;: write one header a line, as Name: value (&apos;%1&apos; is not)</source>
        <translation>&apos;defaultHeaders&apos;：每行写一个请求头，格式为 名称: 值（&apos;%1&apos; 不符合）</translation>
    </message>
    <message>
        <source>Where usage is found (JSON):</source>
        <translation>用量所在位置（JSON）：</translation>
    </message>
    <message>
        <source>Where the model is found (JSON):</source>
        <translation>模型所在位置（JSON）：</translation>
    </message>
    <message>
        <source>Stream events and their roots (JSON):</source>
        <translation>流事件及其根路径（JSON）：</translation>
    </message>
    <message>
        <source>{} : the API format&apos;s own</source>
        <translation>{} ：使用该 API 格式的默认值</translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be a JSON object: %2</source>
        <translation>&apos;%1&apos; 必须是一个 JSON 对象：%2</translation>
    </message>
    <message>
        <source>this is not one</source>
        <translation>这不是对象</translation>
    </message>
    <message>
        <source>POST /v1/chat/completions (empty: every path)</source>
        <translation>POST /v1/chat/completions（留空：所有路径）</translation>
    </message>
    <message>
        <source>Paths it forwards:</source>
        <translation>转发的路径：</translation>
    </message>
    <message>
        <source>Basics</source>
        <translation>基本</translation>
    </message>
    <message>
        <source>Requests and answers</source>
        <translation>请求与响应</translation>
    </message>
</context>
<context>
    <name>ProviderTypesPage</name>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Display name</source>
        <translation>显示名称</translation>
    </message>
    <message>
        <source>API format</source>
        <translation>API 格式</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>基础 URL</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Built in</source>
        <translation>内置</translation>
    </message>
    <message>
        <source>Saved %1.</source>
        <translation>已保存 %1。</translation>
    </message>
    <message>
        <source>Provider types</source>
        <translation>服务商类型</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Gatehouse</source>
        <translation>Gatehouse</translation>
    </message>
    <message>
        <source>The gateway did not answer.</source>
        <translation>网关没有响应。</translation>
    </message>
    <message>
        <source>HTTP status %1</source>
        <translation>HTTP 状态 %1</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>≤ %1 ms</source>
        <comment>a latency percentile: at most this, the bound of its histogram bucket</comment>
        <translation>≤ %1 毫秒</translation>
    </message>
</context>
<context>
    <name>RequestLogPage</name>
    <message>
        <source>Errors only</source>
        <translation>仅错误</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>最近 1 小时</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>最近 24 小时</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <source>Everything</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Select a request to see all it recorded.</source>
        <translation>选择一条请求以查看其全部记录。</translation>
    </message>
    <message>
        <source>Export requests</source>
        <translation>导出请求</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n 条请求</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Export stopped: %1</source>
        <translation>导出已停止：%1</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n request(s) to %1</source>
        <translation>
            <numerusform>已导出 %n 条请求到 %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Exporting… %1 of %2</source>
        <translation>正在导出… %1 / %2</translation>
    </message>
    <message>
        <source>All keys</source>
        <translation>全部密钥</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>任意状态</translation>
    </message>
    <message>
        <source>Succeeded (2xx)</source>
        <translation>成功 (2xx)</translation>
    </message>
    <message>
        <source>Refused (4xx)</source>
        <translation>被拒绝 (4xx)</translation>
    </message>
    <message>
        <source>Failed (5xx)</source>
        <translation>失败 (5xx)</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>请求</translation>
    </message>
    <message>
        <source>What the request recorded</source>
        <translation>该请求记录的内容</translation>
    </message>
</context>
<context>
    <name>RolesPage</name>
    <message>
        <source>Everything, including other super admins</source>
        <translation>一切操作，包括管理其他超级管理员</translation>
    </message>
    <message>
        <source>Call every provider through the gateway</source>
        <translation>通过网关调用所有服务商</translation>
    </message>
    <message>
        <source>See the users</source>
        <translation>查看用户</translation>
    </message>
    <message>
        <source>Add, change and remove users</source>
        <translation>添加、修改和删除用户</translation>
    </message>
    <message>
        <source>See the provider keys (never their secrets)</source>
        <translation>查看服务商密钥（不含密钥内容）</translation>
    </message>
    <message>
        <source>Add, change, test and remove provider keys</source>
        <translation>添加、修改、测试和删除服务商密钥</translation>
    </message>
    <message>
        <source>Create and manage their own gateway keys</source>
        <translation>创建和管理自己的网关密钥</translation>
    </message>
    <message>
        <source>See everyone&apos;s gateway keys</source>
        <translation>查看所有人的网关密钥</translation>
    </message>
    <message>
        <source>Manage everyone&apos;s gateway keys</source>
        <translation>管理所有人的网关密钥</translation>
    </message>
    <message>
        <source>See the statistics of their own keys</source>
        <translation>查看自己密钥的统计</translation>
    </message>
    <message>
        <source>See all statistics</source>
        <translation>查看全部统计</translation>
    </message>
    <message>
        <source>Reserved: allows nothing more yet</source>
        <translation>保留：目前不授予额外权限</translation>
    </message>
    <message>
        <source>See the request log of their own keys</source>
        <translation>查看自己密钥的请求日志</translation>
    </message>
    <message>
        <source>See the whole request log and the audit log</source>
        <translation>查看全部请求日志和审计日志</translation>
    </message>
    <message>
        <source>See the health of the provider keys</source>
        <translation>查看服务商密钥的健康状态</translation>
    </message>
    <message>
        <source>Change the provider types and the prices</source>
        <translation>修改服务商类型和价格</translation>
    </message>
    <message>
        <source>See the server&apos;s settings</source>
        <translation>查看服务器设置</translation>
    </message>
    <message>
        <source>Call the provider type %1 through the gateway</source>
        <translation>通过网关调用服务商类型 %1</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Built in</source>
        <translation>内置</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Permissions of the role</source>
        <translation>角色的权限</translation>
    </message>
    <message>
        <source>It may:</source>
        <translation>可以：</translation>
    </message>
    <message>
        <source>Roles are defined by the server; a user has one. Choose a role to see what it allows.</source>
        <translation>角色由服务器定义，每个用户有一个角色。选择一个角色查看它允许的操作。</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Start Gatehouse when I log in</source>
        <translation>登录系统时启动 Gatehouse</translation>
    </message>
    <message>
        <source>Start in the tray, without the window</source>
        <translation>启动时只显示托盘图标，不打开窗口</translation>
    </message>
    <message>
        <source>This app</source>
        <translation>本应用</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Colours:</source>
        <translation>配色(&amp;C)：</translation>
    </message>
    <message>
        <source>The gateway&apos;s server settings</source>
        <translation>网关的服务器设置</translation>
    </message>
    <message>
        <source>Only users who manage the server see its settings.</source>
        <translation>只有管理服务器的用户才能查看其设置。</translation>
    </message>
    <message>
        <source>Set in the server&apos;s configuration file or environment; read-only here.</source>
        <translation>在服务器的配置文件或环境变量中设置；此处只读。</translation>
    </message>
    <message>
        <source>Request log kept (days):</source>
        <translation>请求日志保留（天）：</translation>
    </message>
    <message>
        <source>Audit log kept (days):</source>
        <translation>审计日志保留（天）：</translation>
    </message>
    <message>
        <source>Provider keys probed every (seconds):</source>
        <translation>服务商密钥探测间隔（秒）：</translation>
    </message>
    <message>
        <source>Log level:</source>
        <translation>日志级别：</translation>
    </message>
    <message>
        <source>Shared state (Redis):</source>
        <translation>共享状态（Redis）：</translation>
    </message>
    <message>
        <source>Not configured (one instance)</source>
        <translation>未配置（单实例）</translation>
    </message>
    <message>
        <source>Largest request body:</source>
        <translation>请求体上限：</translation>
    </message>
    <message>
        <source>Connections at most:</source>
        <translation>最大连接数：</translation>
    </message>
    <message>
        <source>Connections per client address:</source>
        <translation>每个客户端地址的连接数：</translation>
    </message>
    <message>
        <source>Idle connections closed after (seconds):</source>
        <translation>空闲连接关闭时间（秒）：</translation>
    </message>
    <message>
        <source>Connecting to a provider, at most (seconds):</source>
        <translation>连接服务商最长（秒）：</translation>
    </message>
    <message>
        <source>Waiting for a provider&apos;s answer, at most (seconds):</source>
        <translation>等待服务商响应最长（秒）：</translation>
    </message>
    <message>
        <source>Silence within an answer, at most (seconds):</source>
        <translation>响应中静默最长（秒）：</translation>
    </message>
    <message>
        <source>Never (only when asked)</source>
        <translation>从不（仅在请求时）</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>Configured, not reachable: each instance counts alone</source>
        <translation>已配置，但无法连接：各实例各自计数</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>In the system keychain (recommended)</source>
        <translation>保存在系统钥匙串中（推荐）</translation>
    </message>
    <message>
        <source>In a key file in the data folder, readable only by you</source>
        <translation>保存在数据文件夹中的密钥文件里，仅您可读</translation>
    </message>
    <message>
        <source>Set up Gatehouse</source>
        <translation>设置 Gatehouse</translation>
    </message>
    <message>
        <source>Your local gateway</source>
        <translation>您的本地网关</translation>
    </message>
    <message>
        <source>Gatehouse runs a gateway on this computer. Your applications call it instead of the providers, with keys that Gatehouse issues.</source>
        <translation>Gatehouse 在这台电脑上运行一个网关。您的应用使用 Gatehouse 签发的密钥调用它，而不是直接调用服务商。</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>Data folder:</source>
        <translation>数据文件夹：</translation>
    </message>
    <message>
        <source>Gateway port:</source>
        <translation>网关端口：</translation>
    </message>
    <message>
        <source>Admin port:</source>
        <translation>管理端口：</translation>
    </message>
    <message>
        <source>Both listen on 127.0.0.1 only: nothing on your network can reach them.</source>
        <translation>两者都只监听 127.0.0.1：网络上的其他设备无法访问。</translation>
    </message>
    <message>
        <source>Admin password</source>
        <translation>管理员密码</translation>
    </message>
    <message>
        <source>It protects the gateway&apos;s settings and your keys. Gatehouse signs you in by itself on this computer; you need the password to sign in from elsewhere.</source>
        <translation>它保护网关的设置和您的密钥。在这台电脑上 Gatehouse 会自动为您登录；从其他地方登录时需要此密码。</translation>
    </message>
    <message>
        <source>Password strength</source>
        <translation>密码强度</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Confirm:</source>
        <translation>确认：</translation>
    </message>
    <message>
        <source>Strength:</source>
        <translation>强度：</translation>
    </message>
    <message>
        <source>Too short: at least %1 characters</source>
        <translation>太短：至少 %1 个字符</translation>
    </message>
    <message>
        <source>Weak</source>
        <translation>弱</translation>
    </message>
    <message>
        <source>Fair</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>Good</source>
        <translation>良好</translation>
    </message>
    <message>
        <source>Strong</source>
        <translation>强</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <source>Master key</source>
        <translation>主密钥</translation>
    </message>
    <message>
        <source>Provider keys are stored encrypted under a master key that Gatehouse creates now.</source>
        <translation>服务商密钥使用主密钥加密保存，Gatehouse 现在就会创建主密钥。</translation>
    </message>
    <message>
        <source>If the keychain does not answer, Gatehouse keeps the key in the file instead and says so. Whoever has the key and the data folder can read your provider keys: keep backups of both, apart.</source>
        <translation>如果钥匙串没有响应，Gatehouse 会改为把密钥保存在文件中并提示您。同时拥有主密钥和数据文件夹的人可以读取您的服务商密钥：请将两者分开备份。</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign in to the gateway</source>
        <translation>登录网关</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Gateway: %1</source>
        <translation>网关：%1</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
</context>
<context>
    <name>StartAtLogin</name>
    <message>
        <source>Cannot remove %1.</source>
        <translation>无法删除 %1。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2.</source>
        <translation>无法写入 %1：%2。</translation>
    </message>
</context>
<context>
    <name>TraceModel</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>密钥</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>令牌数</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>费用</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>First byte</source>
        <translation>首字节</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <source>Add user…</source>
        <translation>添加用户…</translation>
    </message>
    <message>
        <source>Change role…</source>
        <translation>更改角色…</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Set password…</source>
        <translation>设置密码…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Display name</source>
        <translation>显示名称</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>已启用</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Locked until</source>
        <translation>锁定至</translation>
    </message>
    <message>
        <source>Last sign-in</source>
        <translation>最近登录</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Add user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <source>Display name:</source>
        <translation>显示名称：</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Role:</source>
        <translation>角色：</translation>
    </message>
    <message>
        <source>Added %1.</source>
        <translation>已添加 %1。</translation>
    </message>
    <message>
        <source>Change role</source>
        <translation>更改角色</translation>
    </message>
    <message>
        <source>Role of %1:</source>
        <translation>%1 的角色：</translation>
    </message>
    <message>
        <source>Set password</source>
        <translation>设置密码</translation>
    </message>
    <message>
        <source>New password for %1:</source>
        <translation>%1 的新密码：</translation>
    </message>
    <message>
        <source>%1 has a new password; their sessions have ended.</source>
        <translation>%1 已设置新密码，其所有会话均已结束。</translation>
    </message>
    <message>
        <source>Delete user</source>
        <translation>删除用户</translation>
    </message>
    <message>
        <source>Delete %1? Their sessions end and their gateway keys stop working at once.</source>
        <translation>删除 %1？其会话将结束，其网关密钥将立即失效。</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
</context>
</TS>
