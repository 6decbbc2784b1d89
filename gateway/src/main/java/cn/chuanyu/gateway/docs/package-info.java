/** The services' OpenAPI documents and Swagger UI, through the gateway and without a key. */
package cn.chuanyu.gateway.docs;
