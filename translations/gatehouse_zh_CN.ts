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
        <source>This computer</source>
        <translation>本机</translation>
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
        <source>Quit</source>
        <translation>退出</translation>
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
        <source>Cooling down until %1</source>
        <translation>冷却中，直到 %1</translation>
    </message>
    <message>
        <source>Ejected until %1</source>
        <translation>已剔除，直到 %1</translation>
    </message>
    <message>
        <source>Invalid: %1</source>
        <translation>无效：%1</translation>
    </message>
    <message>
        <source>Healthy</source>
        <translation>健康</translation>
    </message>
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
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
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
</context>
</TS>
